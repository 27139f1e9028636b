package io.podvm.library;

import groovy.lang.MissingMethodException;
import groovy.lang.Script;

/**
 * Base class of every script the harness runs, as {@code CpsScript} is in Jenkins: a call such as
 * {@code podvmImage(...)} that is no method of the script reaches the global variable of that name,
 * which is either a step stand-in (a closure in the binding, handled by {@link Script}) or another
 * library script, whose {@code call} method runs.
 */
public abstract class PipelineScript extends Script {

    @Override
    public Object invokeMethod(String name, Object args) {
        try {
            return super.invokeMethod(name, args);
        } catch (MissingMethodException e) {
            Object variable = getBinding().getVariables().get(name);
            if (!name.equals(e.getMethod()) || !(variable instanceof Script)) {
                throw e;
            }
            return ((Script) variable).invokeMethod("call", args);
        }
    }
}
