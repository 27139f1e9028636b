// Stand-ins for the Pipeline steps and Declarative directives that the library calls. Each one records
// itself in `recorder` (a Recorder) and returns what the test told it to; the Declarative ones also run
// their bodies in Declarative's order: agent, triggers, parameters, stages, then post conditions.
// Pipeline.java runs this script once per test, into the binding that the library's scripts share.
// This is test code on plain Groovy, not library code: the CPS rules do not apply here.

import io.podvm.library.PipelineError

def rec = recorder

// ---- plain steps ----

binding.stage = { String name, Closure body ->
    rec.enterStage(name)
    try {
        return body()
    } finally {
        rec.leaveStage()
    }
}

// Runs the branches one after the other, in their order: the calls show which branch made them.
binding.parallel = { Map branches ->
    rec.record('parallel', new ArrayList(branches.keySet().findAll { it != 'failFast' }))
    Map results = [:]
    branches.each { name, body ->
        if (name == 'failFast') {
            return
        }
        rec.enterBranch(name)
        try {
            results[name] = body()
        } finally {
            rec.leaveBranch()
        }
    }
    return results
}

for (String step : ['podvmBinaries', 'podvmMkosi', 'podvmUpload', 'podvmBoot', 'podvmMeasure', 'podvmDiff', 'archiveArtifacts', 'fingerprint', 'properties']) {
    String name = step
    binding.setVariable(name, { Object args ->
        // A copy: the library must not be able to change what was recorded afterwards.
        Object recorded = args instanceof Map ? new LinkedHashMap(args) : args
        rec.record(name, recorded)
        return rec.answer(name, recorded)
    })
}

binding.echo = { Object message -> rec.record('echo', message.toString()) }

binding.error = { Object message ->
    rec.record('error', message.toString())
    throw new PipelineError(message.toString())
}

binding.writeFile = { Map args ->
    rec.record('writeFile', new LinkedHashMap(args))
    files[args.file] = args.text.toString()
}

binding.pwd = { -> workspace }

// dir runs its body with the directory as the current one, for deleteDir; paths are workspace-relative.
binding.currentDir = ''
binding.dir = { String path, Closure body ->
    rec.record('dir', path)
    String was = currentDir
    currentDir = path
    try {
        return body()
    } finally {
        currentDir = was
    }
}
binding.deleteDir = { ->
    rec.record('deleteDir', currentDir)
    files.keySet().removeAll(files.keySet().findAll { it.startsWith(currentDir + '/') })
}
binding.fileExists = { String path ->
    rec.record('fileExists', path)
    return files.containsKey(path)
}

// Copy Artifact's selector and step: copies what matches the filter (Ant patterns, comma-separated) from
// lastSuccessfulArtifacts into the files; with none there (a first build), optional: true copies nothing.
binding.lastSuccessful = { Map args = [:] -> [selector: 'lastSuccessful'] + args }
binding.copyArtifacts = { Map args ->
    rec.record('copyArtifacts', new LinkedHashMap(args))
    List patterns = args.filter.toString().split(',').collect { String p ->
        p.trim().replace('.', '\\.').replace('**', '\u0000').replace('*', '[^/]*').replace('\u0000', '.*')
    }
    Map copied = lastSuccessfulArtifacts.findAll { String path, text -> patterns.any { path ==~ it } }
    if (copied.isEmpty() && !args.optional) {
        throw new PipelineError("Unable to find a build for artifact copy from: ${args.projectName}")
    }
    copied.each { String path, text ->
        String name = args.flatten ? path.substring(path.lastIndexOf('/') + 1) : path
        files[args.target ? "${args.target}/${name}".toString() : name] = text
    }
}

// Reads the library's resources/, as Jenkins' libraryResource does; a missing one fails as there.
binding.libraryResource = { String path ->
    rec.record('libraryResource', path)
    File file = new File(new File(libraryRoot, 'resources'), path)
    if (!file.isFile()) {
        throw new PipelineError("No such library resource ${path} could be found.")
    }
    return file.getText('UTF-8')
}

// For the scripted example: node runs its body; checkout records what it was given.
binding.node = { String label, Closure body ->
    rec.record('node', label)
    body()
}
binding.checkout = { Object what -> rec.record('checkout', what) }
binding.scm = 'scm'

// ---- Declarative ----

binding.pipeline = { Closure body ->
    rec.record('pipeline', null)
    Map sections = [:]
    declarative = sections
    body()
    declarative = null
    ['agent', 'options', 'triggers', 'parameters'].each { if (sections[it]) sections[it]() }
    Throwable failure = null
    try {
        sections.stages()
    } catch (Throwable t) {
        failure = t
    }
    currentBuild.result = failure ? 'FAILURE' : 'SUCCESS'
    if (sections.post) {
        runPost(sections.post, failure == null)
    }
    if (failure) {
        throw failure
    }
}

// The pipeline's sections are kept, and run by `pipeline` once the whole block has been read.
for (String section : ['agent', 'options', 'triggers', 'parameters', 'stages', 'post']) {
    String name = section
    binding.setVariable(name, { Closure body ->
        if (declarative == null) {
            throw new IllegalStateException("${name} { } outside pipeline { }")
        }
        declarative[name] = body
    })
}
binding.declarative = null

// Runs the post conditions in Declarative's order, whatever their order in the block.
runPost = { Closure post, boolean succeeded ->
    Map conditions = [:]
    postConditions = conditions
    post()
    postConditions = null
    List order = ['always', succeeded ? 'success' : 'failure', 'cleanup']
    order.each { if (conditions[it]) conditions[it]() }
}
for (String condition : ['always', 'success', 'failure', 'cleanup']) {
    String name = condition
    binding.setVariable(name, { Closure body -> postConditions[name] = body })
}

// Directives whose arguments are recorded: the agent label, the timer, the build parameters.
for (String directive : ['label', 'cron', 'choice', 'credentials', 'string', 'booleanParam']) {
    String name = directive
    binding.setVariable(name, { Object args -> rec.record(name, args instanceof Map ? new LinkedHashMap(args) : args.toString()) })
}

binding.when = { Closure body -> body() }
binding.expression = { Closure condition ->
    if (!condition()) {
        rec.skipStage()
    }
}
binding.steps = { Closure body ->
    if (!rec.stageSkipped()) {
        body()
    }
}
binding.script = { Closure body -> body() }
