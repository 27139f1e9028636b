package io.podvm.engine.cli;

import io.podvm.engine.tools.Doctor;
import io.podvm.engine.tools.Platform;
import io.podvm.engine.tools.ToolCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code podvm doctor}: which tools this machine has for each capability; exit 1 when a needed one is missing. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Checks the tools that building and uploading need; exits 1 when a needed one is missing.")
final class DoctorCommand implements Callable<Integer> {
    @Parameters(paramLabel = "CAPABILITY", arity = "0..*",
            description = "image, upload, binaries or boot (default: all of them).")
    List<String> capabilities = List.of();

    @Override
    public Integer call() {
        List<ToolCheck> checks = Doctor.checks().stream()
                .filter(c -> capabilities.isEmpty() || capabilities.contains(c.capability())).toList();
        List<Doctor.Finding> findings = Doctor.examine(checks);
        System.out.print(Doctor.table(findings));
        if (!Platform.isLinux()) {
            System.out.println("This machine runs " + System.getProperty("os.name") + "; building images and"
                    + " binaries needs Linux.");
            return PodvmCli.EXIT_FAILED;
        }
        List<Doctor.Finding> blocking = findings.stream().filter(Doctor.Finding::blocking).toList();
        if (blocking.isEmpty()) {
            System.out.println("All needed tools are present.");
            return 0;
        }
        blocking.forEach(f -> System.out.println("Missing or unsupported: " + f.check().name() + " (needed by "
                + f.check().capability() + "): " + f.check().install()));
        return PodvmCli.EXIT_FAILED;
    }
}
