package io.podvm.pipeline

import com.cloudbees.groovy.cps.NonCPS

/**
 * podvmImage's arguments: what is wrong with them, and the parameters each step gets from them. Pure map and
 * list work, no step: a problem comes back as a sentence (or null) and the CPS caller passes it to error().
 */
class ImageArguments {
    /** The clouds that podvmUpload (uplosi) uploads to. */
    static final List<String> PROVIDERS = ['aws', 'azure', 'gcp', 'openstack']

    /** The parts of a build, in the order they run; each one runs in a stage of the same name. */
    static final List<String> PARTS = ['binaries', 'image', 'upload']

    /** The first thing wrong with podvmImage's arguments, as a sentence for the build log; null if none. */
    @NonCPS
    static String problemWithArguments(Map args) {
        Collection unknown = args.keySet().findAll { !(it in PARTS) }
        if (unknown) {
            return "podvmImage does not know ${quoted(unknown)}; it takes ${PARTS.join(', ')}."
        }
        if (!PARTS.any { given(args[it]) }) {
            return "podvmImage has nothing to do: give at least one of ${PARTS.join(', ')}."
        }
        for (String part : ['binaries', 'image']) {
            if (args[part] != null && !(args[part] instanceof Map)) {
                return "podvmImage: ${part} must be a map of podvm${part == 'image' ? 'Mkosi' : 'Binaries'} parameters, not '${args[part]}'."
            }
        }
        return given(args.upload) ? problemWithUploads(args.upload, given(args.image), 'podvmImage: upload') : null
    }

    /**
     * Whether a part is given. An empty map is: image: [:] builds the bundled definition with its defaults.
     * An empty upload list is not: a Jenkinsfile that works out its providers may find none.
     */
    @NonCPS
    static boolean given(Object part) {
        return part != null && !(part instanceof Collection && part.isEmpty())
    }

    /**
     * The first thing wrong with an upload list (a map, or a list of maps, of podvmUpload parameters);
     * null if none. imageBuilt says whether an image stage runs first and so supplies the image.
     */
    @NonCPS
    static String problemWithUploads(Object upload, boolean imageBuilt, String what) {
        List entries = upload instanceof Map ? [upload] : upload
        if (!(entries instanceof List)) {
            return "${what} must be a map of podvmUpload parameters or a list of such maps, not '${upload}'."
        }
        Map incrementers = [:]
        for (int i = 0; i < entries.size(); i++) {
            String where = entries.size() == 1 ? what : "${what}[${i}]"
            Object entry = entries[i]
            if (!(entry instanceof Map)) {
                return "${where} must be a map of podvmUpload parameters, not '${entry}'."
            }
            if (!(entry.provider in PROVIDERS)) {
                return "${where}.provider is ${entry.provider == null ? 'missing' : "'${entry.provider}'"}; allowed are ${PROVIDERS.join(', ')}."
            }
            if (!imageBuilt && !entry.image) {
                return "${where} has no image to upload: give image: [...] to build one first, or image: '<path>' in the upload."
            }
            if (entry.incrementVersion) {
                String file = entry.imageVersionFile ?: '(the default version file)'
                if (incrementers.containsKey(file)) {
                    return "${what}: the uploads to ${incrementers[file]} and ${entry.provider} both increment ${file}; " +
                            "they run in parallel, so it would be bumped twice. Set incrementVersion: true on one of them only."
                }
                incrementers[file] = entry.provider
            }
        }
        return null
    }

    /** podvmMkosi's arguments: the user's, plus the binaries tree that the binaries stage made (unless one is given). */
    @NonCPS
    static Map imageArguments(Map image, Map binariesResult) {
        Map result = copyOf(image)
        if (binariesResult?.tree && !result.binariesTree) {
            result.binariesTree = binariesResult.tree
        }
        return result
    }

    /** podvmUpload's arguments, one map per upload, each with the built image unless the upload names its own. */
    @NonCPS
    static List uploadArguments(Object upload, Map imageResult) {
        List entries = upload instanceof Map ? [upload] : upload
        List result = []
        for (Object entry : entries) {
            Map uploadArgs = copyOf((Map) entry)
            if (!uploadArgs.image) {
                uploadArgs.image = imageResult?.image
            }
            result << uploadArgs
        }
        return result
    }

    /** A shallow copy, so that the library never changes a map the Jenkinsfile passed in. */
    @NonCPS
    static Map copyOf(Map map) {
        return new LinkedHashMap(map)
    }

    @NonCPS
    static String quoted(Collection names) {
        return names.collect { "'${it}'" }.join(', ')
    }
}
