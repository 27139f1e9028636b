package io.jenkins.plugins.podvm;

import hudson.util.FormValidation;
import io.podvm.engine.InvalidRequestException;

/**
 * Form validation by the engine's own rules: build (part of) a request from the form's values and report
 * the engine's message if it is about the field being checked. Engine messages start with the field name
 * ("variant: 'x' is not valid; allowed: production, debug."), so a problem with another field is left to
 * that field's own check.
 */
final class FormChecks {
    private FormChecks() {
    }

    /** What the engine says about {@code field} when {@code check} runs. */
    static FormValidation field(String field, Runnable check) {
        try {
            check.run();
            return FormValidation.ok();
        } catch (InvalidRequestException e) {
            String message = e.getMessage();
            return message != null && message.startsWith(field + ":")
                    ? FormValidation.error(message.substring(field.length() + 1).trim())
                    : FormValidation.ok();
        }
    }
}
