// podvmImage: binaries -> image -> upload in one call, each part in a stage named after it.
//
// Pipeline runs this file under the CPS transform, so it is cut in two:
//   - call() and upload() only call steps (stage, parallel, podvm*, error);
//   - the @NonCPS helpers below them do the map and list work and never call a step. They return
//     a problem as a sentence (or null) and the CPS caller turns it into error(), because a step
//     called from @NonCPS code does not behave.

import groovy.transform.Field

/** The clouds that podvmUpload (uplosi) uploads to. */
@Field static final List<String> PROVIDERS = ['aws', 'azure', 'gcp', 'openstack']

/** The parts of a build, in the order they run; each one runs in a stage of the same name. */
@Field static final List<String> PARTS = ['binaries', 'image', 'upload']

/**
 * Runs the parts that are given and returns their results:
 * [binaries: <podvmBinaries result>, image: <podvmMkosi result>, upload: [<branch>: <podvmUpload result>]].
 * Everything is checked before the first stage starts, so a typo fails in seconds, not after the build.
 */
def call(Map args = [:]) {
    String problem = problemWithArguments(args)
    if (problem) {
        error(problem)
    }
    Map results = [:]
    if (given(args.binaries)) {
        Map binariesArgs = copyOf(args.binaries)
        stage('binaries') {
            results.binaries = podvmBinaries(binariesArgs)
        }
    }
    if (given(args.image)) {
        Map imageArgs = imageArguments(args.image, results.binaries)
        stage('image') {
            results.image = podvmMkosi(imageArgs)
        }
    }
    if (given(args.upload)) {
        List uploads = uploadArguments(args.upload, results.image)
        stage('upload') {
            results.upload = upload(uploads)
        }
    }
    return results
}

/**
 * Runs podvmUpload once per entry of uploads (see uploadArguments), in parallel when there are
 * several, and returns the results by branch name: the provider ('aws'), or 'aws #1', 'aws #2' when
 * one provider appears more than once. podvmNightlyPipeline calls this too.
 */
def upload(List uploads) {
    List names = branchNames(uploads)
    Map results = [:]
    if (uploads.size() == 1) {
        results[names[0]] = podvmUpload(uploads[0])
        return results
    }
    Map branches = [:]
    for (int i = 0; i < uploads.size(); i++) {
        branches[names[i]] = uploadBranch(uploads[i], names[i], results)
    }
    parallel(branches)
    return inOrder(names, results)
}

/** One parallel branch. A method of its own so that each closure keeps its own upload, not the loop's last. */
def uploadBranch(Map uploadArgs, String name, Map results) {
    return {
        results[name] = podvmUpload(uploadArgs)
    }
}

// ---- @NonCPS helpers: no steps below this line ----

/** The first thing wrong with podvmImage's arguments, as a sentence for the build log; null if none. */
@NonCPS
String problemWithArguments(Map args) {
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
boolean given(Object part) {
    return part != null && !(part instanceof Collection && part.isEmpty())
}

/**
 * The first thing wrong with an upload list (a map, or a list of maps, of podvmUpload parameters);
 * null if none. imageBuilt says whether an image stage runs first and so supplies the image.
 */
@NonCPS
String problemWithUploads(Object upload, boolean imageBuilt, String what) {
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
Map imageArguments(Map image, Map binariesResult) {
    Map result = copyOf(image)
    if (binariesResult?.tree && !result.binariesTree) {
        result.binariesTree = binariesResult.tree
    }
    return result
}

/** podvmUpload's arguments, one map per upload, each with the built image unless the upload names its own. */
@NonCPS
List uploadArguments(Object upload, Map imageResult) {
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

/** Branch names: the provider, numbered ('aws #1', 'aws #2') where a provider appears more than once. */
@NonCPS
List branchNames(List uploads) {
    Map counts = uploads.countBy { it.provider }
    Map seen = [:]
    List names = []
    for (Map entry : uploads) {
        String provider = entry.provider
        seen[provider] = (seen[provider] ?: 0) + 1
        names << (counts[provider] > 1 ? "${provider} #${seen[provider]}".toString() : provider)
    }
    return names
}

/** The results in branch order; parallel fills them in the order the branches finish. */
@NonCPS
Map inOrder(List names, Map results) {
    Map ordered = [:]
    for (String name : names) {
        if (results.containsKey(name)) {
            ordered[name] = results[name]
        }
    }
    return ordered
}

/** A shallow copy, so that the library never changes a map the Jenkinsfile passed in. */
@NonCPS
Map copyOf(Map map) {
    return new LinkedHashMap(map)
}

@NonCPS
String quoted(Collection names) {
    return names.collect { "'${it}'" }.join(', ')
}
