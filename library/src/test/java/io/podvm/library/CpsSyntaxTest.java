package io.podvm.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The library, and the example Jenkinsfiles, use nothing that Pipeline's CPS Groovy rejects. */
class CpsSyntaxTest {

    /** vars/*.groovy, src/**.groovy and examples/Jenkinsfile*: everything Pipeline compiles. */
    static List<Path> pipelineSources() throws IOException {
        Path root = Pipeline.LIBRARY_ROOT;
        List<Path> files = new java.util.ArrayList<>(Pipeline.varsFiles());
        if (Files.isDirectory(root.resolve("src"))) {
            try (Stream<Path> src = Files.walk(root.resolve("src"))) {
                src.filter(file -> file.toString().endsWith(".groovy")).sorted().forEach(files::add);
            }
        }
        try (Stream<Path> examples = Files.list(root.resolve("examples"))) {
            examples.filter(file -> file.getFileName().toString().startsWith("Jenkinsfile")).sorted().forEach(files::add);
        }
        return files;
    }

    @ParameterizedTest
    @MethodSource("pipelineSources")
    void followsTheCpsRules(Path file) {
        assertThat(CpsRules.violations(file.getFileName().toString(), Pipeline.read(file)))
                .as(Pipeline.LIBRARY_ROOT.relativize(file).toString())
                .isEmpty();
    }

    @Test
    void checksAllTheLibrary() throws IOException {
        assertThat(pipelineSources()).extracting(file -> Pipeline.LIBRARY_ROOT.relativize(file).toString())
                .contains("vars/podvmImage.groovy", "vars/podvmNightlyPipeline.groovy", "vars/podvmUplosiConfig.groovy",
                        "src/io/podvm/pipeline/ImageArguments.groovy", "src/io/podvm/pipeline/NightlySettings.groovy",
                        "examples/Jenkinsfile.nightly", "examples/Jenkinsfile.debug");
    }

    // ---- the checks themselves catch what they should ----

    @Test
    void groovy24RefusesJavaLambdas() {
        assertThatThrownBy(() -> CpsRules.violations("Lambda.groovy", "def twice = (int x) -> x * 2\n"))
                .isInstanceOf(MultipleCompilationErrorsException.class);
        assertThatThrownBy(() -> CpsRules.violations("Lambda.groovy", "[1, 2].collect(x -> x * 2)\n"))
                .isInstanceOf(MultipleCompilationErrorsException.class);
    }

    @Test
    void groovy24RefusesMethodReferences() {
        assertThatThrownBy(() -> CpsRules.violations("Reference.groovy", "def f = String::valueOf\n"))
                .isInstanceOf(MultipleCompilationErrorsException.class);
    }

    @Test
    void closuresWithParametersAreFine() {
        assertThat(CpsRules.violations("Closure.groovy", "def run(Map m) { stage('x') { -> echo('y') } }\n"
                + "@NonCPS\nList names(List l) { l.collect { x -> x.name } }\n")).isEmpty();
    }

    @Test
    void catchesMethodPointers() {
        assertThat(CpsRules.violations("Pointer.groovy", "def f = this.&call\n"))
                .containsExactly("line 1: method pointer .&call, which CPS does not support; use a closure");
    }

    @Test
    void catchesStepsInNonCpsMethods() {
        assertThat(CpsRules.violations("NonCps.groovy", "@NonCPS\nString check(Map m) {\n  if (!m) { error('empty') }\n}\n"))
                .containsExactly("line 3: the @NonCPS method check calls the step error;"
                        + " return a value and let CPS code call the step");
    }

    @Test
    void catchesCollectionClosuresInCpsCode() {
        assertThat(CpsRules.violations("Each.groovy", "def call(List l) {\n  l.sort { it.name }\n}\n"))
                .containsExactly("line 2: sort { } in CPS code; move it into a @NonCPS helper");
    }

    @Test
    void catchesMatchersInCpsCode() {
        assertThat(CpsRules.violations("Matcher.groovy", "def call(String s) {\n  def m = s =~ /x/\n  echo(m[0])\n}\n"))
                .hasSize(1).first().asString().startsWith("line 2: =~ in CPS code");
    }
}
