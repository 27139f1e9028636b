// podvmNightlyPipeline: a whole Declarative Pipeline for a nightly pod VM image job, from one map.
// Its build parameters make the same job a parameterized debug build.
//
// As in podvmImage: the CPS code (call, record) only calls steps; the @NonCPS helpers do the map
// work, never call a step, and return problems as sentences for the CPS code to pass to error().

import groovy.json.JsonOutput
import groovy.transform.Field

/** The keys of the map that podvmNightlyPipeline takes. */
@Field static final List<String> SETTINGS =
        ['agent', 'cron', 'binaries', 'image', 'providers', 'archive', 'variant', 'upload', 'incrementVersion']

/** What can be archived, and whether it is by default. The image itself is large: off unless asked. */
@Field static final Map<String, Boolean> ARCHIVE_DEFAULTS = [manifest: true, results: true, image: false, qcow2: false]

@Field static final List<String> VARIANTS = ['production', 'debug']

/** Where the results JSON is written, in the workspace, and archived from. */
@Field static final String RESULTS_FILE = 'podvm-results.json'

/** podvmMkosi and podvmUpload parameters that the build parameters set, so the map must not. */
@Field static final Map<String, String> SET_BY_PARAMETERS = [
        variant: 'VARIANT', sshKeyCredentialsId: 'SSH_KEY_CREDENTIALS', incrementVersion: 'INCREMENT_VERSION']

def call(Map config = [:]) {
    String problem = problemWithSettings(config)
    if (problem) {
        error(problem)
    }
    Map job = settings(config)
    Map plan = [:]     // what this build does, from the build parameters; filled by the first stage
    Map results = [:]  // what each stage returned; written to podvm-results.json at the end

    pipeline {
        agent {
            label "${job.agent}"
        }
        triggers {
            cron(job.cron)
        }
        parameters {
            choice(name: 'VARIANT', choices: job.variants,
                    description: 'production, or debug: the debug image lets you log in (with the SSH key below) to find out why a pod VM misbehaves.')
            credentials(name: 'SSH_KEY_CREDENTIALS', credentialType: 'com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey',
                    defaultValue: '', required: false,
                    description: 'Debug images only: an SSH private key credential whose public key goes to /root/.ssh/authorized_keys.')
            string(name: 'EXTRA_PACKAGES', defaultValue: '',
                    description: 'More distribution packages for the image, separated by spaces or commas (for example: strace tcpdump).')
            booleanParam(name: 'UPLOAD', defaultValue: job.upload,
                    description: "Upload the image to: ${job.providerNames ? job.providerNames.join(', ') : 'no provider is configured'}.")
            booleanParam(name: 'INCREMENT_VERSION', defaultValue: job.incrementVersion,
                    description: 'After the upload, bump the patch number in the image version file (uplosi -i).')
        }
        stages {
            stage('parameters') {
                steps {
                    script {
                        String wrong = problemWithParameters(job, params)
                        if (wrong) {
                            error(wrong)
                        }
                        plan.putAll(planOf(job, params))
                        echo(summary(plan))
                    }
                }
            }
            stage('binaries') {
                when {
                    expression { return job.binaries != null }
                }
                steps {
                    script {
                        results.binaries = podvmBinaries(podvmImage.copyOf(job.binaries))
                    }
                }
            }
            stage('image') {
                steps {
                    script {
                        results.image = podvmMkosi(imageArguments(job, plan, results.binaries))
                    }
                }
            }
            stage('upload') {
                when {
                    expression { return plan.upload }
                }
                steps {
                    script {
                        results.upload = podvmImage.upload(uploadArguments(job, plan, results.image))
                    }
                }
            }
        }
        post {
            always {
                script {
                    record(job, plan, results)
                }
            }
        }
    }
}

/**
 * Archives the manifest and the results JSON, fingerprints the image and writes the build description,
 * with whatever the stages got to: a failed upload still leaves the image's manifest and digest behind.
 */
def record(Map job, Map plan, Map results) {
    String workspace = pwd()
    writeFile(file: RESULTS_FILE, text: resultsJson(plan, results))
    Map image = results.image
    List outside = outsideWorkspace(image, workspace)
    if (outside) {
        echo("Not archived or fingerprinted, because they are outside the workspace ${workspace}: ${outside.join(', ')}. " +
                'Set image.outputDir to a directory inside the workspace to keep them with the build.')
    }
    String archived = artifacts(job.archive, image, workspace)
    if (archived) {
        archiveArtifacts(artifacts: archived, allowEmptyArchive: true)
    }
    String imageFile = relativeTo(workspace, image?.image)
    if (imageFile) {
        fingerprint(targets: imageFile)
    }
    currentBuild.description = description(plan, results)
}

// ---- @NonCPS helpers: no steps below this line ----

/** The first thing wrong with the pipeline's map, as a sentence for the build log; null if none. */
@NonCPS
String problemWithSettings(Map config) {
    Collection unknown = config.keySet().findAll { !(it in SETTINGS) }
    if (unknown) {
        return "podvmNightlyPipeline does not know ${podvmImage.quoted(unknown)}; it takes ${SETTINGS.join(', ')}."
    }
    for (String key : ['binaries', 'image', 'archive']) {
        if (config[key] != null && !(config[key] instanceof Map)) {
            return "podvmNightlyPipeline: ${key} must be a map, not '${config[key]}'."
        }
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
        return "podvmNightlyPipeline: archive does not know ${podvmImage.quoted(unknownArchive)}; it takes ${ARCHIVE_DEFAULTS.keySet().join(', ')}."
    }
    if (config.providers) {
        return podvmImage.problemWithUploads(config.providers, true, 'podvmNightlyPipeline: providers')
    }
    if (config.upload) {
        return 'podvmNightlyPipeline: upload is true but no providers are given; add providers: [[provider: ..., ...]].'
    }
    return null
}

/** Settings that the build parameters own must not also be in the map: say which parameter to use. */
@NonCPS
String problemWithParameterKeys(Map config) {
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
List providerList(Map config) {
    return config.providers instanceof Map ? [config.providers] : (config.providers ?: [])
}

/** The map with its defaults filled in. */
@NonCPS
Map settings(Map config) {
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
            providerNames   : podvmImage.branchNames(providers),
            archive         : archive,
            // The default variant first: a choice parameter's default is its first choice.
            variants        : [variant] + (VARIANTS - variant),
            upload          : config.upload == null ? !providers.isEmpty() : config.upload as boolean,
            incrementVersion: config.incrementVersion as boolean,
    ]
}

/**
 * The first thing wrong with the build parameters; null if none. A build started by the timer, or the
 * first build (before Jenkins knows the parameters), has none: the settings' defaults apply.
 */
@NonCPS
String problemWithParameters(Map job, Map params) {
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
Map planOf(Map job, Map params) {
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
boolean uploadWanted(Map job, Map params) {
    return params.UPLOAD == null ? job.upload : params.UPLOAD as boolean
}

/** 'strace, tcpdump  gdb' -> ['strace', 'tcpdump', 'gdb']. */
@NonCPS
List words(Object text) {
    return text ? text.toString().split(/[\s,]+/).findAll { it }.collect { it.toString() } : []
}

/** One line for the log saying what this build is about to do. */
@NonCPS
String summary(Map plan) {
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
Map imageArguments(Map job, Map plan, Map binariesResult) {
    Map result = podvmImage.imageArguments(job.image, binariesResult)
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
List uploadArguments(Map job, Map plan, Map imageResult) {
    List uploads = podvmImage.uploadArguments(job.providers, imageResult)
    Set bumped = [] as Set
    for (Map upload : uploads) {
        String file = upload.imageVersionFile ?: ''
        upload.incrementVersion = plan.incrementVersion && bumped.add(file)
    }
    return uploads
}

/** The results JSON: this build's plan and each stage's result. */
@NonCPS
String resultsJson(Map plan, Map results) {
    Map all = [parameters: plan]
    all.putAll(results)
    return JsonOutput.prettyPrint(JsonOutput.toJson(all)) + '\n'
}

/** Comma-separated workspace-relative paths to archive (archiveArtifacts takes Ant patterns, not absolute paths). */
@NonCPS
String artifacts(Map archive, Map image, String workspace) {
    List paths = []
    for (String kind : ['manifest', 'image', 'qcow2']) {
        String path = archive[kind] ? relativeTo(workspace, image?.get(kind)) : null
        if (path) {
            paths << path
        }
    }
    if (archive.results) {
        paths << RESULTS_FILE
    }
    return paths.join(',')
}

/** The image outputs that cannot be archived or fingerprinted because they are not in the workspace. */
@NonCPS
List outsideWorkspace(Map image, String workspace) {
    List paths = ['image', 'manifest', 'qcow2'].collect { image?.get(it) }.findAll { it }
    return paths.findAll { relativeTo(workspace, it) == null }
}

/** path relative to the workspace, or null if it is outside it (or null). Paths from the steps are absolute. */
@NonCPS
String relativeTo(String workspace, Object path) {
    if (!path) {
        return null
    }
    String file = path.toString()
    if (!file.startsWith('/')) {
        return file
    }
    String root = workspace.endsWith('/') ? workspace : workspace + '/'
    return file.startsWith(root) ? file.substring(root.length()) : null
}

/** The build description: the image's digest and package count, then one line per upload with its references. */
@NonCPS
String description(Map plan, Map results) {
    List lines = []
    Map image = results.image
    if (image) {
        lines << "${image.variant ?: plan.variant} image sha256:${image.sha256}, ${image.packageCount} packages".toString()
    } else {
        lines << (plan.variant ? "no ${plan.variant} image" : 'no image') + ': see the log'
    }
    Map uploads = results.upload ?: [:]
    for (Map.Entry upload : uploads.entrySet()) {
        List refs = upload.value?.refs ?: []
        lines << "${upload.key}: ${refs ? refs.join(', ') : 'no image reference'}".toString()
    }
    return lines.join('\n')
}
