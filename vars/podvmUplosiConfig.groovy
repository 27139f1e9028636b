// podvmUplosiConfig: a starter uplosi configuration for one cloud, for podvmUpload's configDir.
//
// The starters are library resources (resources/io/podvm/uplosi/<provider>.conf), read with
// libraryResource; the checks are in src/io/podvm/pipeline/UplosiStarters.

import io.podvm.pipeline.UplosiStarters

/** Returns the starter's text; with file:, also writes it there (replacing what is there). */
def call(Map args = [:]) {
    String problem = UplosiStarters.problemWithArguments(args)
    if (problem) {
        error(problem)
    }
    String text = libraryResource(UplosiStarters.resource(args.provider))
    if (args.file) {
        writeFile(file: args.file, text: text)
    }
    return text
}
