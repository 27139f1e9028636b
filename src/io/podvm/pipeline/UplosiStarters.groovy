package io.podvm.pipeline

import com.cloudbees.groovy.cps.NonCPS

/** Where the starter uplosi configurations are among the library's resources, and what podvmUplosiConfig takes. */
class UplosiStarters {

    /** The keys of the map that podvmUplosiConfig takes. */
    static final List<String> KEYS = ['provider', 'file']

    /** The first thing wrong with podvmUplosiConfig's arguments, as a sentence for the build log; null if none. */
    @NonCPS
    static String problemWithArguments(Map args) {
        Collection unknown = args.keySet().findAll { !(it in KEYS) }
        if (unknown) {
            return "podvmUplosiConfig does not know ${ImageArguments.quoted(unknown)}; it takes ${KEYS.join(', ')}."
        }
        if (!(args.provider in ImageArguments.PROVIDERS)) {
            return "podvmUplosiConfig: provider is ${args.provider == null ? 'missing' : "'${args.provider}'"};" +
                    " allowed are ${ImageArguments.PROVIDERS.join(', ')}."
        }
        return null
    }

    /** The libraryResource path of a provider's starter: resources/io/podvm/uplosi/<provider>.conf. */
    @NonCPS
    static String resource(String provider) {
        return "io/podvm/uplosi/${provider}.conf"
    }
}
