package io.podvm.engine.upload;

import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.log.BuildLog;
import io.podvm.engine.process.ExecResult;
import io.podvm.engine.process.ExecSpec;
import io.podvm.engine.process.ProcessRunner;
import io.podvm.engine.process.HostEnvironment;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An uplosi binary and the command form it understands, read from its {@code --help}: releases from 0.3
 * on have an {@code upload} subcommand, earlier ones take the image as their only argument. Its
 * {@code --version} is not trusted for this, because {@code go install} builds report 0.0.0-dev.
 */
public record UplosiTool(Path path, Form form, String version) {
    public static final String INSTALL_HINT = "install uplosi 0.4.0 (scripts/install-tools.sh builds it from"
            + " github.com/edgelesssys/uplosi@v0.4.0 with Go) or name another with --uplosi PATH";
    private static final Pattern VERSION = Pattern.compile("uplosi version\\s+(\\S+)|version\\s+(\\d\\S*)");

    /** How uplosi is invoked. */
    public enum Form {
        /** 0.3 and later: {@code uplosi upload IMAGE [-i] [--enable-variant-glob G]...}. */
        UPLOAD_COMMAND,
        /** Before 0.3: {@code uplosi IMAGE [--enable-variant-glob G]...}; no OpenStack, no -c. */
        IMAGE_ARGUMENT
    }

    public static UplosiTool detect(String nameOrPath, BuildLog log) {
        return detect(nameOrPath, log, HostEnvironment.current());
    }

    /**
     * Finds uplosi on the given environment's PATH and reads its {@code --help} and {@code --version}; those
     * probes get the base variables only, never a provider's credentials.
     */
    public static UplosiTool detect(String nameOrPath, BuildLog log, HostEnvironment host) {
        Path path = host.findExecutable(nameOrPath).orElseThrow(() -> new InvalidRequestException("uplosi: '"
                + nameOrPath + "' was not found" + (nameOrPath.contains("/") ? "" : " on PATH") + "; "
                + INSTALL_HINT + "."));
        String help = String.join("\n", output(log, host, path, "--help"));
        Form form = formOf(help);
        if (form == null) {
            throw new InvalidRequestException("uplosi: " + path + " is a version podvm cannot drive: its --help"
                    + " shows neither an 'upload' command (uplosi 0.3 and later) nor the 'uplosi <image>' usage of"
                    + " earlier releases; " + INSTALL_HINT + ".");
        }
        return new UplosiTool(path, form, versionOf(String.join("\n", output(log, host, path, "--version"))));
    }

    static Form formOf(String help) {
        if (Pattern.compile("(?m)^\\s+upload\\s+").matcher(help).find()) {
            return Form.UPLOAD_COMMAND;
        }
        if (Pattern.compile("(?m)^\\s+uplosi <image>").matcher(help).find()) {
            return Form.IMAGE_ARGUMENT;
        }
        return null;
    }

    private static String versionOf(String text) {
        Matcher m = VERSION.matcher(text);
        if (!m.find()) {
            return "unknown";
        }
        return m.group(1) != null ? m.group(1) : m.group(2);
    }

    /** Both streams: cobra prints help on stdout, but a broken install may explain itself on stderr. */
    private static List<String> output(BuildLog log, HostEnvironment host, Path path, String arg) {
        ExecResult result = new ProcessRunner(log, host).run(ExecSpec.of(path.toString(), arg)
                .timeout(Duration.ofSeconds(30)).captureOutput());
        if (!result.succeeded()) {
            throw new InvalidRequestException("uplosi: '" + path + " " + arg + "' failed (exit " + result.exitCode()
                    + "): " + String.join(" ", result.output()).strip() + "; " + INSTALL_HINT + ".");
        }
        return result.output();
    }

    /** Whether this uplosi can upload to the provider: OpenStack came with the upload command. */
    public void checkSupports(Provider provider) {
        if (provider == Provider.OPENSTACK && form == Form.IMAGE_ARGUMENT) {
            throw new InvalidRequestException("uplosi: " + path + " predates the 'upload' command and has no"
                    + " OpenStack support; " + INSTALL_HINT + ".");
        }
    }

    /** The command line; secrets never appear in it. */
    public List<String> command(Path image, boolean increment, List<String> enable, List<String> disable) {
        List<String> command = new ArrayList<>();
        command.add(path.toString());
        if (form == Form.UPLOAD_COMMAND) {
            command.add("upload");
        }
        command.add(image.toString());
        if (increment && form == Form.UPLOAD_COMMAND) {
            command.add("--increment-version");
        }
        enable.forEach(g -> command.add("--enable-variant-glob=" + g));
        disable.forEach(g -> command.add("--disable-variant-glob=" + g));
        return command;
    }
}
