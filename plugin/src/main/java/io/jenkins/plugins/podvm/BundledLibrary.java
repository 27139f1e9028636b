package io.jenkins.plugins.podvm;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Job;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.workflow.libs.LibraryConfiguration;
import org.jenkinsci.plugins.workflow.libs.LibraryResolver;
import org.jenkinsci.plugins.workflow.libs.LibraryRetriever;

/**
 * Offers the shared library {@code podvm} (the repository's {@code vars/}, {@code src/} and {@code resources/},
 * bundled in this plugin) to every job, so that {@code @Library('podvm') _} works with no SCM set-up. It is
 * loaded only when a Jenkinsfile asks for it (not implicit), and it is trusted like a global library: it is
 * this plugin's own code, which a job cannot change. Its version is this plugin's; asking for another version
 * is refused.
 */
@Extension
public final class BundledLibrary extends LibraryResolver {
    static final String NAME = "podvm";
    /** The zip that the build writes from vars/, src/ and resources/ (see plugin/pom.xml), next to this class. */
    static final String ZIP = "podvm-library.zip";

    @Override
    public boolean isTrusted() {
        return true;
    }

    @NonNull
    @Override
    public Collection<LibraryConfiguration> forJob(@NonNull Job<?, ?> job, @NonNull Map<String, String> libraryVersions) {
        LibraryConfiguration library = new LibraryConfiguration(NAME, new Retriever());
        library.setDefaultVersion(version());
        library.setImplicit(false);
        library.setAllowVersionOverride(false);
        return List.of(library);
    }

    /** This plugin's version, from the jar manifest; a fixed word when running from classes (tests). */
    static String version() {
        Package pkg = BundledLibrary.class.getPackage();
        String version = pkg == null ? null : pkg.getImplementationVersion();
        return version == null || version.isBlank() ? "bundled" : version;
    }

    /** Unpacks the bundled zip into the directory the Pipeline gives it: vars/, src/ and resources/. */
    static final class Retriever extends LibraryRetriever {
        // pipeline-groovy-lib 787 declares both retrieve methods abstract, so both are implemented. Later
        // releases deprecate them in favour of retrieveJar, whose default still calls the six-argument form
        // when a subclass overrides it, and packs vars/, src/ and resources/ into the library jar.
        @Override
        @SuppressWarnings("deprecation")
        public void retrieve(@NonNull String name, @NonNull String version, boolean changelog,
                @NonNull FilePath target, @NonNull Run<?, ?> run, @NonNull TaskListener listener) throws Exception {
            unpack(version, target, listener);
        }

        @Override
        @SuppressWarnings("deprecation")
        public void retrieve(@NonNull String name, @NonNull String version, @NonNull FilePath target,
                @NonNull Run<?, ?> run, @NonNull TaskListener listener) throws Exception {
            unpack(version, target, listener);
        }

        private static void unpack(String version, FilePath target, TaskListener listener)
                throws IOException, InterruptedException {
            InputStream zip = BundledLibrary.class.getResourceAsStream(ZIP);
            if (zip == null) {
                throw new AbortException("The podvm plugin was built without its shared library (" + ZIP
                        + " is missing); rebuild it with './mvnw -Pjenkins -pl plugin -am package'.");
            }
            listener.getLogger().println("Loading the podvm shared library bundled in the podvm plugin " + version);
            target.mkdirs();
            target.unzipFrom(zip); // closes the stream
        }
    }
}
