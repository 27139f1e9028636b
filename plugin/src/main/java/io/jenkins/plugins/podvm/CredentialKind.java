package io.jenkins.plugins.podvm;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * The kinds of credentials the steps accept, with the names the Jenkins credentials page shows for them,
 * so that an error about a wrong kind names what to pick there.
 */
enum CredentialKind {
    SSH_PRIVATE_KEY(SSHUserPrivateKey.class, "SSH Username with private key"),
    SECRET_TEXT(StringCredentials.class, "Secret text"),
    SECRET_FILE(FileCredentials.class, "Secret file"),
    USERNAME_PASSWORD(StandardUsernamePasswordCredentials.class, "Username with password");

    private final Class<? extends StandardCredentials> type;
    private final String displayName;

    CredentialKind(Class<? extends StandardCredentials> type, String displayName) {
        this.type = type;
        this.displayName = displayName;
    }

    Class<? extends StandardCredentials> type() {
        return type;
    }

    String displayName() {
        return displayName;
    }
}
