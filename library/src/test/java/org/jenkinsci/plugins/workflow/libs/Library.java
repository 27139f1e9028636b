package org.jenkinsci.plugins.workflow.libs;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;

/**
 * Stand-in for pipeline-groovy-lib's {@code @Library}, which Jenkins imports into every Jenkinsfile, so
 * that {@code @Library('podvm') _} in examples/ compiles here. The harness has loaded the library already.
 */
@Retention(RetentionPolicy.RUNTIME)
public @interface Library {
    String[] value();
}
