package io.podvm.library;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every global variable has the help that Pipeline Syntax > Global Variables shows. */
class HelpTest {

    static java.util.List<Path> variables() {
        return Pipeline.varsFiles();
    }

    @ParameterizedTest
    @MethodSource("variables")
    void hasHelpNamingIt(Path script) {
        String name = script.getFileName().toString().replaceFirst("\\.groovy$", "");
        Path help = script.resolveSibling(name + ".txt");

        assertThat(help).as("help for %s", name).exists();
        // Jenkins renders .txt help with the global markup formatter, plain text by default: no HTML.
        assertThat(Pipeline.read(help)).startsWith(name + ":").doesNotContain("<p>", "<pre>", "<code>");
    }

    @ParameterizedTest
    @MethodSource("variables")
    void hasACallMethod(Path script) {
        assertThat(Pipeline.read(script)).contains("\ndef call(Map ");
    }
}
