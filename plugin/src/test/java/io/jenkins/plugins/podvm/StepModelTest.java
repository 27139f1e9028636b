package io.jenkins.plugins.podvm;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.util.List;
import org.jenkinsci.plugins.structs.describable.ArrayType;
import org.jenkinsci.plugins.structs.describable.DescribableModel;
import org.jenkinsci.plugins.structs.describable.DescribableParameter;
import org.jenkinsci.plugins.structs.describable.ErrorType;
import org.jenkinsci.plugins.workflow.cps.SnippetizerTester;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * structs describes every parameter of every step, so the Pipeline Syntax reference and the Snippet Generator
 * show them all: no parameter has an error type, and the name/value parameters are lists of strings.
 */
@WithJenkins
class StepModelTest {

    @Test
    void everyParameterOfEveryStepIsDescribed(JenkinsRule j) throws Exception {
        for (Class<? extends Step> step : List.of(PodvmBinariesStep.class, PodvmMkosiStep.class,
                PodvmUploadStep.class, PodvmBootStep.class, PodvmMeasureStep.class, PodvmDiffStep.class)) {
            DescribableModel<? extends Step> model = new DescribableModel<>(step);
            for (DescribableParameter parameter : model.getParameters()) {
                assertThat(step.getSimpleName() + "." + parameter.getName() + " is " + parameter.getType(),
                        parameter.getType(), is(not(instanceOf(ErrorType.class))));
            }
            SnippetizerTester.assertDocGeneration(step);
        }
    }

    @Test
    void nameValueParametersAreListsOfStrings(JenkinsRule j) {
        assertThat(new DescribableModel<>(PodvmBinariesStep.class).getParameter("buildArgs").getType(),
                instanceOf(ArrayType.class));
        assertThat(new DescribableModel<>(PodvmUploadStep.class).getParameter("settings").getType(),
                instanceOf(ArrayType.class));
    }
}
