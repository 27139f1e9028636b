package io.podvm.pipeline

import com.cloudbees.groovy.cps.NonCPS

/** The parallel branches of several uploads: their names, and their results in branch order. */
class UploadBranches {
    /** Branch names: the provider, numbered ('aws #1', 'aws #2') where a provider appears more than once. */
    @NonCPS
    static List names(List uploads) {
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
    static Map inOrder(List names, Map results) {
        Map ordered = [:]
        for (String name : names) {
            if (results.containsKey(name)) {
                ordered[name] = results[name]
            }
        }
        return ordered
    }
}
