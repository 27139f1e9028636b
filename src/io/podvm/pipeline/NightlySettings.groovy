package io.podvm.pipeline

import com.cloudbees.groovy.cps.NonCPS

/**
 * podvmNightlyPipeline's map and build parameters: what is wrong with them, the job's settings with their
 * defaults, what one build does (its plan), and the step parameters that follow. Pure map work, no step:
 * a problem comes back as a sentence (or null) for the CPS caller to pass to error().
 */
class NightlySettings {

    /** The keys of the map that podvmNightlyPipeline takes. */
    static final List<String> SETTINGS =
            ['agent', 'cron', 'binaries', 'image', 'providers', 'archive', 'variant', 'upload', 'incrementVersion',
             'boot', 'measure']

    /** What can be archived, and whether it is by default. The image itself is large: off unless asked. */
    static final Map<String, Boolean> ARCHIVE_DEFAULTS = [manifest: true, results: true, pcrs: true, image: false, qcow2: false]

    static final List<String> VARIANTS = ['production', 'debug']

    /** podvmMkosi and podvmUpload parameters that the build parameters set, so the map must not. */
    static final Map<String, String> SET_BY_PARAMETERS = [
            variant: 'VARIANT', sshKeyCredentialsId: 'SSH_KEY_CREDENTIALS', incrementVersion: 'INCREMENT_VERSION']

    /** The first thing wrong with the pipeline's map, as a sentence for the build log; null if none. */
    @NonCPS
    static String problemWithSettings(Map config) {
        Collection unknown = config.keySet().findAll { !(it in SETTINGS) }
        if (unknown) {
            return "podvmNightlyPipeline does not know ${ImageArguments.quoted(unknown)}; it takes ${SETTINGS.join(', ')}."
        }
        for (String key : ['binaries', 'image', 'archive']) {
            if (config[key] != null && !(config[key] instanceof Map)) {
                return "podvmNightlyPipeline: ${key} must be a map, not '${config[key]}'."
            }
        }
        String check = ImageArguments.problemWithImageChecks(config, true, 'podvmNightlyPipeline')
        if (check) {
            return check
        }
        if (config.variant != null && !(config.variant in VARIANTS)) {
            return "podvmNightlyPipeline: variant is '${config.variant}'; allowed are ${VARIANTS.join(', ')}."
        }
        String setByParameter = problemWithParameterKeys(config)
        if (setByParameter) {
            return setByParameter
        }
        Collection unknownArchive = (config.archive ?: [:]).keySet().findAll { !ARCHIVE_DEFAULTS.containsKey(it) }
        if (unknownArchive) {
            return "podvmNightlyPipeline: archive does not know ${ImageArguments.quoted(unknownArchive)}; it takes ${ARCHIVE_DEFAULTS.keySet().join(', ')}."
        }
        if (config.providers) {
            return ImageArguments.problemWithUploads(config.providers, true, 'podvmNightlyPipeline: providers')
        }
        if (config.upload) {
            return 'podvmNightlyPipeline: upload is true but no providers are given; add providers: [[provider: ..., ...]].'
        }
        return null
    }

    /** Settings that the build parameters own must not also be in the map: say which parameter to use. */
    @NonCPS
    static String problemWithParameterKeys(Map config) {
        List providers = providerList(config)
        Map places = ['image': config.image ?: [:]]
        for (int i = 0; i < providers.size(); i++) {
            places["providers[${i}]".toString()] = providers[i] instanceof Map ? providers[i] : [:]
        }
        for (Map.Entry place : places.entrySet()) {
            for (Map.Entry owned : SET_BY_PARAMETERS.entrySet()) {
                if (place.value.containsKey(owned.key)) {
                    return "podvmNightlyPipeline: ${place.key}.${owned.key} is set by the build parameter ${owned.value}; " +
                            "remove it from the map (use variant:, upload:, incrementVersion: at the top for the parameters' defaults)."
                }
            }
        }
        if (places.image.containsKey('extraPackages') && !(places.image.extraPackages instanceof List)) {
            return "podvmNightlyPipeline: image.extraPackages must be a list such as ['strace'], not '${places.image.extraPackages}'."
        }
        return null
    }

    /** providers: as a list, also when the map gives one provider as a map. */
    @NonCPS
    static List providerList(Map config) {
        return config.providers instanceof Map ? [config.providers] : (config.providers ?: [])
    }

    /** The map with its defaults filled in. */
    @NonCPS
    static Map settings(Map config) {
        List providers = providerList(config)
        Map archive = new LinkedHashMap(ARCHIVE_DEFAULTS)
        archive.putAll(config.archive ?: [:])
        String variant = config.variant ?: 'production'
        return [
                agent           : config.agent ?: 'podvm',
                cron            : config.cron == null ? 'H 2 * * *' : config.cron,
                binaries        : config.binaries,
                image           : config.image ?: [:],
                providers       : providers,
                providerNames   : UploadBranches.names(providers),
                archive         : archive,
                // The default variant first: a choice parameter's default is its first choice.
                variants        : [variant] + (VARIANTS - variant),
                upload          : config.upload == null ? !providers.isEmpty() : config.upload as boolean,
                incrementVersion: config.incrementVersion as boolean,
                // Every nightly image is measured and booted before it is uploaded, unless the map says false.
                measure         : config.measure == null ? true : config.measure,
                boot            : config.boot == null ? true : config.boot,
        ]
    }

    /**
     * The first thing wrong with the build parameters; null if none. A build started by the timer, or the
     * first build (before Jenkins knows the parameters), has none: the settings' defaults apply.
     */
    @NonCPS
    static String problemWithParameters(Map job, Map params) {
        String variant = params.VARIANT ?: job.variants[0]
        String key = params.SSH_KEY_CREDENTIALS ?: null
        if (!(variant in VARIANTS)) {
            return "VARIANT is '${variant}'; allowed are ${VARIANTS.join(', ')}."
        }
        if (variant == 'production' && key) {
            return "SSH_KEY_CREDENTIALS is '${key}' but VARIANT is production: a production image never takes an SSH key. " +
                    'Choose VARIANT debug to build an image you can log in to, or clear SSH_KEY_CREDENTIALS.'
        }
        if (uploadWanted(job, params) && !job.providers) {
            return 'UPLOAD is ticked but this pipeline has no providers to upload to; untick UPLOAD or add providers: to the Jenkinsfile.'
        }
        return null
    }

    /** What this build does: [variant:, sshKeyCredentialsId:, extraPackages: [...], upload:, incrementVersion:]. */
    @NonCPS
    static Map planOf(Map job, Map params) {
        String key = params.SSH_KEY_CREDENTIALS ?: null
        return [
                variant            : params.VARIANT ?: job.variants[0],
                sshKeyCredentialsId: key,
                extraPackages      : (job.image.extraPackages ?: []) + words(params.EXTRA_PACKAGES),
                upload             : uploadWanted(job, params),
                incrementVersion   : params.INCREMENT_VERSION == null ? job.incrementVersion : params.INCREMENT_VERSION as boolean,
                providers          : uploadWanted(job, params) ? job.providerNames : [],
        ]
    }

    @NonCPS
    static boolean uploadWanted(Map job, Map params) {
        return params.UPLOAD == null ? job.upload : params.UPLOAD as boolean
    }

    /** 'strace, tcpdump  gdb' -> ['strace', 'tcpdump', 'gdb']. */
    @NonCPS
    static List words(Object text) {
        return text ? text.toString().split(/[\s,]+/).findAll { it }.collect { it.toString() } : []
    }

    /** One line for the log saying what this build is about to do. */
    @NonCPS
    static String summary(Map plan) {
        String key = plan.variant == 'debug' ?
                (plan.sshKeyCredentialsId ? " with the SSH key '${plan.sshKeyCredentialsId}'" :
                        ' without an SSH key (SSH_KEY_CREDENTIALS is empty: log in on the serial console)') : ''
        String packages = plan.extraPackages ? ", extra packages ${plan.extraPackages.join(' ')}" : ''
        String upload = plan.upload ? ", then upload to ${plan.providers.join(', ')}" +
                (plan.incrementVersion ? ' and increment the version' : '') : ', no upload'
        return "Building the ${plan.variant} image${key}${packages}${upload}."
    }

    /** podvmMkosi's arguments: the map's image settings with this build's variant, key and packages. */
    @NonCPS
    static Map imageArguments(Map job, Map plan, Map binariesResult) {
        Map result = ImageArguments.imageArguments(job.image, binariesResult)
        result.variant = plan.variant
        if (plan.sshKeyCredentialsId) {
            result.sshKeyCredentialsId = plan.sshKeyCredentialsId
        }
        if (plan.extraPackages) {
            result.extraPackages = plan.extraPackages
        }
        return result
    }

    /**
     * podvmUpload's arguments, one per provider. INCREMENT_VERSION bumps each version file once: only the
     * first upload that uses a file increments it, the others upload the same version.
     */
    @NonCPS
    static List uploadArguments(Map job, Map plan, Map imageResult) {
        List uploads = ImageArguments.uploadArguments(job.providers, imageResult)
        List branches = UploadBranches.names(uploads)
        Set bumped = [] as Set
        for (int i = 0; i < uploads.size(); i++) {
            Map upload = uploads[i]
            String file = upload.imageVersionFile ?: ''
            upload.incrementVersion = plan.incrementVersion && bumped.add(file)
            // An unchanged image is not uploaded again: the state comes from the last successful build.
            if (!upload.containsKey('skipIfUnchanged')) {
                upload.skipIfUnchanged = NightlyRecord.stateFile(branches[i])
            }
        }
        return uploads
    }
}
