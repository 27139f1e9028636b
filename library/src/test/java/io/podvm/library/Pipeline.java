package io.podvm.library;

import groovy.lang.Binding;
import groovy.lang.GroovyClassLoader;
import groovy.lang.GroovyShell;
import groovy.lang.Script;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.customizers.ImportCustomizer;
import org.codehaus.groovy.runtime.InvokerHelper;

/**
 * A pretend Pipeline run: the library's vars/ scripts on Groovy 2.4 in one binding with stand-ins for
 * the steps (pipeline-steps.groovy), which record each call in {@link #recorder}. The scripts see the
 * library's src/ classes, as Jenkins' library class loader gives them, and libraryResource reads the
 * library's resources/. The step stand-ins answer like the real steps; a test changes an answer with
 * {@code recorder.whenCalled(step, fn)}.
 */
public final class Pipeline {

    /** The repository root: where Jenkins finds vars/, src/ and resources/. Set by the module's pom. */
    public static final Path LIBRARY_ROOT =
            Path.of(System.getProperty("podvm.library.root", "..")).toAbsolutePath().normalize();

    /**
     * Compiles the library's src/ classes from their sources on first use, once per test run, for every
     * script: one class per src/ file, as in a build, whichever script uses it first.
     */
    private static final GroovyClassLoader SRC = srcLoader();

    public static final String WORKSPACE = "/jenkins/workspace/podvm-nightly";

    public final Recorder recorder = new Recorder();
    /** The build parameters ({@code params}); empty as in a timer-started or first build. */
    public final Map<String, Object> params = new LinkedHashMap<>();
    public final Map<String, Object> env = new LinkedHashMap<>(Map.of("BUILD_NUMBER", "42", "WORKSPACE", WORKSPACE,
            "JOB_NAME", "images/podvm-nightly"));
    /** {@code currentBuild}: the library sets description; the pipeline stand-in sets result. */
    public final Map<String, Object> currentBuild = new LinkedHashMap<>();
    /** What writeFile wrote, by file name. */
    public final Map<String, String> files = new LinkedHashMap<>();
    /** The artifacts of the job's last successful build, by path, for copyArtifacts; empty: a first build. */
    public final Map<String, String> lastSuccessfulArtifacts = new LinkedHashMap<>();

    private static final Map<String, Class<?>> COMPILED = new ConcurrentHashMap<>();

    private final Binding binding = new Binding();

    public Pipeline() {
        binding.setVariable("recorder", recorder);
        binding.setVariable("params", params);
        binding.setVariable("env", env);
        binding.setVariable("currentBuild", currentBuild);
        binding.setVariable("files", files);
        binding.setVariable("lastSuccessfulArtifacts", lastSuccessfulArtifacts);
        binding.setVariable("workspace", WORKSPACE);
        binding.setVariable("libraryRoot", LIBRARY_ROOT.toString());
        load("pipeline-steps", resource("pipeline-steps.groovy")).run();
        for (Path file : varsFiles()) {
            String name = file.getFileName().toString().replaceFirst("\\.groovy$", "");
            binding.setVariable(name, load(name, read(file)));
        }
        StepAnswers.install(recorder, files);
    }

    /** Calls a global variable as a Jenkinsfile does: {@code name(args)}. */
    public Object call(String variable, Map<String, ?> args) {
        return script(variable).invokeMethod("call", new Object[] {args});
    }

    /** Calls one method of a global variable: {@code variable.method(args...)}. */
    public Object method(String variable, String method, Object... args) {
        return script(variable).invokeMethod(method, args);
    }

    /** A result as the map it is (the steps and the library return maps with String keys). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    /** Runs a Jenkinsfile (top-level code, as Jenkins does) against the library. */
    public Object runJenkinsfile(Path file) {
        return load("WorkflowScript", read(file)).run();
    }

    public Script script(String variable) {
        Object value = binding.getVariables().get(variable);
        if (!(value instanceof Script)) {
            throw new IllegalArgumentException("no global variable " + variable + " in " + varsFiles());
        }
        return (Script) value;
    }

    /** vars/*.groovy, sorted. */
    public static List<Path> varsFiles() {
        try (Stream<Path> files = Files.list(LIBRARY_ROOT.resolve("vars"))) {
            return files.filter(file -> file.toString().endsWith(".groovy")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The compiler settings of a Pipeline script: our base class in the place of CpsScript, and the
     * import Jenkins adds to every script ({@code @NonCPS}, {@code @Library}).
     */
    public static CompilerConfiguration compilerConfiguration() {
        CompilerConfiguration config = new CompilerConfiguration();
        config.setScriptBaseClass(PipelineScript.class.getName());
        config.addCompilationCustomizers(new ImportCustomizer()
                .addImports("com.cloudbees.groovy.cps.NonCPS", "org.jenkinsci.plugins.workflow.libs.Library"));
        return config;
    }

    /**
     * A fresh script object in this pipeline's binding. Each script is compiled once per test run, by a
     * shell of its own, so no script sees another's class, only its global variable.
     */
    private Script load(String className, String text) {
        Class<?> compiled = COMPILED.computeIfAbsent(className + "\n" + text, key ->
                new GroovyShell(SRC, new Binding(), compilerConfiguration()).parse(text, className).getClass());
        return InvokerHelper.createScript(compiled, binding);
    }

    private static GroovyClassLoader srcLoader() {
        GroovyClassLoader loader = new GroovyClassLoader(Pipeline.class.getClassLoader(), compilerConfiguration());
        loader.addClasspath(LIBRARY_ROOT.resolve("src").toString());
        return loader;
    }

    public static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = Pipeline.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
