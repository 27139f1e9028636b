package io.podvm.engine.upload;

import com.fasterxml.jackson.databind.JsonNode;
import io.podvm.engine.json.Json;
import io.podvm.engine.process.ProcessTree;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.fail;

/**
 * moto's AWS emulator on 127.0.0.1 and a free port, stopped by {@link #close()}. moto 5.2 has no EC2 VM
 * Import (ImportSnapshot answers 500); {@link #withVmImport} adds the two calls uplosi makes, backed by
 * moto's own S3 object and EBS snapshot models, so that the rest of uplosi's AWS steps can run for real.
 */
final class MotoServer implements AutoCloseable {
    static final Path VENV = Path.of(System.getenv().getOrDefault("PODVM_MOTO_VENV", "/opt/podvm-tools/moto"));

    /** Registers ImportSnapshot and DescribeImportSnapshotTasks on moto's EC2 responses, then serves. */
    private static final String VM_IMPORT = """
            import sys, uuid
            from moto.core.responses import ActionResult
            from moto.ec2.responses import EC2Response
            from moto.s3.models import s3_backends

            TASKS = {}

            def import_snapshot(self):
                user_bucket = (self._get_param("DiskContainer") or {}).get("UserBucket") or {}
                bucket, key = user_bucket.get("S3Bucket"), user_bucket.get("S3Key")
                # Reads the uploaded blob as AWS does; a missing blob fails the call.
                size = s3_backends[self.current_account]["aws"].get_object(bucket, key).size
                volume = self.ec2_backend.create_volume(size=max(1, -(-size // (1 << 30))), zone_name=self.region + "a")
                description = self._get_param("Description", "")
                snapshot = self.ec2_backend.create_snapshot(volume.id, description)
                task_id = "import-snap-" + uuid.uuid4().hex[:17]
                TASKS[task_id] = {"Description": description, "DiskImageSize": float(size), "Format": "RAW",
                                  "SnapshotId": snapshot.id, "Status": "completed",
                                  "UserBucket": {"S3Bucket": bucket, "S3Key": key}}
                return ActionResult({"ImportTaskId": task_id, "SnapshotTaskDetail": TASKS[task_id]})

            def describe_import_snapshot_tasks(self):
                ids = self._get_param("ImportTaskIds", [])
                return ActionResult({"ImportSnapshotTasks": [
                    {"ImportTaskId": i, "SnapshotTaskDetail": TASKS[i]} for i in ids if i in TASKS]})

            EC2Response.import_snapshot = import_snapshot
            EC2Response.describe_import_snapshot_tasks = describe_import_snapshot_tasks

            from moto.server import main
            main(sys.argv[1:])
            """;

    private final Process process;
    private final int port;
    private final Path recording;

    private MotoServer(Process process, int port, Path recording) {
        this.process = process;
        this.port = port;
        this.recording = recording;
    }

    static MotoServer plain(Path dir) throws IOException {
        return start(dir, null, null);
    }

    static MotoServer withVmImport(Path dir) throws IOException {
        return start(dir, vmImportScript(dir), null);
    }

    /** With VM Import, and every request recorded by moto's recorder, see {@link #recorded()}. */
    static MotoServer withVmImportRecorded(Path dir) throws IOException {
        return start(dir, vmImportScript(dir), dir.resolve("moto-recording.jsonl"));
    }

    private static Path vmImportScript(Path dir) throws IOException {
        Path script = dir.resolve("moto_vm_import.py");
        Files.writeString(script, VM_IMPORT, StandardCharsets.UTF_8);
        return script;
    }

    /** One request moto received: its EC2/STS {@code Action} (null for S3) and its URL and Host. */
    record Request(String action, String method, String url, String host) {
    }

    /** The requests received so far, in order. */
    List<Request> recorded() throws IOException {
        List<Request> requests = new ArrayList<>();
        if (recording == null || !Files.exists(recording)) {
            return requests;
        }
        for (String line : Files.readAllLines(recording)) {
            JsonNode entry = Json.read(line);
            String body = entry.path("body").asText("");
            if (entry.path("body_encoded").asBoolean()) {
                body = new String(Base64.getDecoder().decode(body), StandardCharsets.ISO_8859_1);
            }
            Matcher action = ACTION.matcher(body + "&" + entry.path("url").asText());
            requests.add(new Request(action.find() ? action.group(1) : null, entry.path("method").asText(),
                    entry.path("url").asText(), entry.path("headers").path("Host").asText()));
        }
        return requests;
    }

    private static final Pattern ACTION = Pattern.compile("(?:^|[&?])Action=([A-Za-z]+)");

    private static MotoServer start(Path dir, Path script, Path recording) throws IOException {
        Path python = VENV.resolve("bin/python");
        if (!Files.isExecutable(python)) {
            fail("moto is not installed in " + VENV + "; run scripts/install-tools.sh as root (it installs"
                    + " moto[server] into that virtualenv)");
        }
        int port = UploadFixtures.refusedPort();
        ProcessBuilder builder = script == null
                ? new ProcessBuilder(python.toString(), "-m", "moto.server", "-H", "127.0.0.1", "-p", "" + port)
                : new ProcessBuilder(python.toString(), script.toString(), "-H", "127.0.0.1", "-p", "" + port);
        builder.redirectErrorStream(true).redirectOutput(dir.resolve("moto-" + port + ".log").toFile());
        if (recording != null) {
            builder.environment().put("MOTO_ENABLE_RECORDING", "True");
            builder.environment().put("MOTO_RECORDER_FILEPATH", recording.toString());
        }
        MotoServer server = new MotoServer(builder.start(), port, recording);
        server.awaitListening(Duration.ofSeconds(60));
        return server;
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    private void awaitListening(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("moto exited with " + process.exitValue() + " before it listened on port " + port);
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep();
            }
        }
        close();
        fail("moto did not listen on 127.0.0.1:" + port + " within " + limit.toSeconds() + " s");
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        ProcessTree.end(process.toHandle(), Duration.ofSeconds(5));
    }
}
