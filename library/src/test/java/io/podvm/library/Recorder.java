package io.podvm.library;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What the library asked of Pipeline: every step and directive, with its arguments and the stage and
 * parallel branch it ran in. The stand-ins in pipeline-steps.groovy call this; tests read it.
 */
public final class Recorder {

    /** One step or directive call. stage and branch are null outside any stage or parallel branch. */
    public record Call(String step, Object args, String stage, String branch) {
        @SuppressWarnings("unchecked")
        public Map<String, Object> map() {
            return (Map<String, Object>) args;
        }
    }

    private final List<Call> calls = new ArrayList<>();
    private final List<String> stagesEntered = new ArrayList<>();
    private final List<String> stagesSkipped = new ArrayList<>();
    private final Deque<String> openStages = new ArrayDeque<>();
    private final Map<String, Function<Object, Object>> answers = new HashMap<>();
    private String branch;

    // ---- for the stand-ins ----

    public void record(String step, Object args) {
        calls.add(new Call(step, args, openStages.peek(), branch));
    }

    /** What a step returns: the test's answer if it gave one, else null. */
    public Object answer(String step, Object args) {
        Function<Object, Object> answer = answers.get(step);
        return answer == null ? null : answer.apply(args);
    }

    public void enterStage(String name) {
        record("stage", name);
        stagesEntered.add(name);
        openStages.push(name);
    }

    public void leaveStage() {
        openStages.pop();
    }

    /** A Declarative when condition was false: the stage's steps do not run. */
    public void skipStage() {
        stagesSkipped.add(openStages.peek());
    }

    public boolean stageSkipped() {
        return !openStages.isEmpty() && stagesSkipped.contains(openStages.peek());
    }

    public void enterBranch(String name) {
        branch = name;
    }

    public void leaveBranch() {
        branch = null;
    }

    // ---- for tests ----

    /** Makes {@code step} return what {@code answer} makes of its arguments. */
    public void whenCalled(String step, Function<Object, Object> answer) {
        answers.put(step, answer);
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<Call> calls(String step) {
        return calls.stream().filter(call -> call.step().equals(step)).toList();
    }

    /** The one call of {@code step}; fails if there are none or several. */
    public Call only(String step) {
        List<Call> found = calls(step);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + step + " call, got " + found.size() + ": " + found);
        }
        return found.get(0);
    }

    /** The names of the steps called, in order (stages as "stage:name"). */
    public List<String> steps() {
        return calls.stream().map(call -> call.step().equals("stage") ? "stage:" + call.args() : call.step()).toList();
    }

    /** The stages whose steps ran, in order: entered and not skipped by a when condition. */
    public List<String> stagesRun() {
        return stagesEntered.stream().filter(stage -> !stagesSkipped.contains(stage)).toList();
    }

    public List<String> stagesSkipped() {
        return List.copyOf(stagesSkipped);
    }

    public List<String> echoes() {
        return calls("echo").stream().map(call -> String.valueOf(call.args())).toList();
    }
}
