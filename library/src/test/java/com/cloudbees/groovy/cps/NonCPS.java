package com.cloudbees.groovy.cps;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Stand-in for groovy-cps's {@code @NonCPS} (not on Maven Central), so the library compiles here as it
 * does in Jenkins, which imports this name into every Pipeline script. The tests run every method
 * directly; {@code CpsSyntaxTest} checks what the real one implies: such methods call no steps.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.CONSTRUCTOR})
public @interface NonCPS {
}
