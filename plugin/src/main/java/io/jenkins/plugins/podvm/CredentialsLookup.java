package io.jenkins.plugins.podvm;

import com.cloudbees.plugins.credentials.CredentialsMatcher;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.model.Item;
import hudson.model.Queue;
import hudson.model.Run;
import hudson.model.queue.Tasks;
import hudson.security.ACL;
import hudson.util.ListBoxModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;

/**
 * Resolves a credential ID to a credential of one of the kinds a use accepts, and lists those credentials
 * for the form's drop-downs. Every lookup is done as the build (or, in the form, as the job) would do it.
 */
final class CredentialsLookup {
    private CredentialsLookup() {
    }

    /**
     * The credential {@code id} as {@code run} may use it, tracked against the run.
     *
     * @param use      the step parameter and purpose, for messages ("podvmUpload credentialsId (aws)")
     * @param accepted the kinds this use takes; the credential must be one of them
     * @throws AbortException when no such credential is visible to the run, or it is of another kind
     */
    static @NonNull StandardCredentials find(@NonNull Run<?, ?> run, @NonNull String id, @NonNull String use,
            @NonNull List<CredentialKind> accepted) throws AbortException {
        StandardCredentials credential = CredentialsProvider.findCredentialById(id, StandardCredentials.class, run);
        if (credential == null) {
            throw new AbortException(use + ": there is no credential with ID '" + id + "' that this build may use."
                    + " Check the ID under Manage Jenkins > Credentials (or the folder's credentials); it must be "
                    + kinds(accepted) + ".");
        }
        for (CredentialKind kind : accepted) {
            if (kind.type().isInstance(credential)) {
                CredentialsProvider.track(run, credential);
                return credential;
            }
        }
        throw new AbortException(use + ": the credential '" + id + "' is of kind '"
                + credential.getDescriptor().getDisplayName() + "', but " + use + " takes " + kinds(accepted) + ".");
    }

    /** The content of a secret file as text (service-account JSON, clouds.yaml, authorized_keys). */
    static @NonNull String text(@NonNull FileCredentials file) throws IOException {
        try (InputStream in = file.getContent()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * The drop-down of credentials of the accepted kinds that the job can use, keeping the current value even
     * when it is no longer listed (so that saving a form does not silently change it). Users who may not
     * configure the job see only the current value.
     */
    static @NonNull ListBoxModel listBox(@CheckForNull Item item, @CheckForNull String current,
            @NonNull List<CredentialKind> accepted) {
        StandardListBoxModel result = new StandardListBoxModel();
        String value = current == null ? "" : current;
        if (item == null) {
            if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
                return result.includeCurrentValue(value);
            }
        } else if (!item.hasPermission(Item.EXTENDED_READ) && !item.hasPermission(CredentialsProvider.USE_ITEM)) {
            return result.includeCurrentValue(value);
        }
        CredentialsMatcher matcher = CredentialsMatchers.anyOf(accepted.stream()
                .map(kind -> CredentialsMatchers.instanceOf(kind.type())).toArray(CredentialsMatcher[]::new));
        return result.includeEmptyValue()
                .includeMatchingAs(item instanceof Queue.Task task ? Tasks.getAuthenticationOf2(task) : ACL.SYSTEM2,
                        item, StandardCredentials.class, Collections.emptyList(), matcher)
                .includeCurrentValue(value);
    }

    private static String kinds(List<CredentialKind> accepted) {
        String names = accepted.stream().map(k -> "'" + k.displayName() + "'").collect(Collectors.joining(", "));
        return accepted.size() > 1 ? "one of the kinds " + names : "a " + names + " credential";
    }
}
