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
    static final List<String> PARTS = ['binaries', 'image', 'measure', 'boot', 'upload']

    /** The parts that work on the built image: true, or a map of their step's parameters. */
    static final Map<String, String> IMAGE_CHECKS = [measure: 'podvmMeasure', boot: 'podvmBoot']

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
        String check = problemWithImageChecks(args, given(args.image), 'podvmImage')
        if (check) {
            return check
        }
        return given(args.upload) ? problemWithUploads(args.upload, given(args.image), 'podvmImage: upload') : null
    }

    /** measure and boot: true, false or a map of parameters, with an image to work on. */
    @NonCPS
    static String problemWithImageChecks(Map args, boolean imageBuilt, String what) {
        for (Map.Entry check : IMAGE_CHECKS.entrySet()) {
            Object value = args[check.key]
            if (value == null || value instanceof Boolean) {
                if (value && !imageBuilt) {
                    return "${what}: ${check.key} has no image to work on: give image: [...] to build one first, or ${check.key}: [image: '<path>']."
                }
                continue
            }
            if (!(value instanceof Map)) {
                return "${what}: ${check.key} must be true, false or a map of ${check.value} parameters, not '${value}'."
            }
            if (!imageBuilt && !value.image) {
                return "${what}: ${check.key} has no image to work on: give image: [...] to build one first, or ${check.key}: [image: '<path>']."
            }
        }
        return null
    }

    /**
     * Whether a part is given. An empty map is: image: [:] builds the bundled definition with its defaults.
     * An empty upload list is not: a Jenkinsfile that works out its providers may find none.
     */
    @NonCPS
    static boolean given(Object part) {
        return part != null && part != false && !(part instanceof Collection && part.isEmpty())
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

    /**
     * podvmMeasure's or podvmBoot's arguments: the user's map (or none, for true), with the built image unless
     * the map names one; podvmMeasure also writes its JSON beside the image (system.raw -> system.pcrs.json).
     */
    @NonCPS
    static Map checkArguments(String part, Object given, Map imageResult) {
        Map result = given instanceof Map ? copyOf((Map) given) : [:]
        if (!result.image) {
            result.image = imageResult?.image
        }
        if (part == 'measure' && !result.output && result.image) {
            String image = result.image.toString()
            result.output = image.endsWith('.raw') ? image[0..-5] + '.pcrs.json' : image + '.pcrs.json'
        }
        return result
    }

    /** The build description with PCR 11 added on a line of its own (replacing an earlier PCR 11 line). */
    @NonCPS
    static String descriptionWithPcr11(Object description, Map measureResult) {
        String pcr11 = measureResult?.pcrs?.get('11')
        List lines = description ? description.toString().readLines().findAll { !it.startsWith('PCR 11 ') } : []
        if (pcr11) {
            lines << "PCR 11 ${pcr11}".toString()
        }
        return lines.join('\n')
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
