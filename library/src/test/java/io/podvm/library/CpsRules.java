package io.podvm.library;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.codehaus.groovy.ast.ClassCodeVisitorSupport;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.MethodNode;
import org.codehaus.groovy.ast.ModuleNode;
import org.codehaus.groovy.ast.expr.BinaryExpression;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.MethodPointerExpression;
import org.codehaus.groovy.ast.expr.TupleExpression;
import org.codehaus.groovy.control.CompilationUnit;
import org.codehaus.groovy.control.Phases;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.syntax.Types;

/**
 * What Pipeline's CPS transform rejects or runs wrongly, checked on the Groovy 2.4 syntax tree.
 *
 * <p>Parsing on Groovy 2.4 already refuses Java lambdas ({@code x -> x}) and method references
 * ({@code String::valueOf}): neither exists in Groovy 2.4. (Closures with parameters, {@code { x -> x }},
 * are fine, which is why this is not a grep for "->".) On the tree, these rules:
 * <ul>
 *   <li>no method pointers ({@code this.&name}): CPS does not support them;</li>
 *   <li>a {@code @NonCPS} method calls no step: a step needs the CPS machinery that @NonCPS turns off;</li>
 *   <li>CPS code passes no closure to a Groovy collection method (each, collect, sort, ...): under CPS
 *       some of these run the closure wrongly or not at all; such work goes in a @NonCPS helper;</li>
 *   <li>CPS code uses no {@code =~}: its Matcher is not serializable and breaks the next step.</li>
 * </ul>
 */
final class CpsRules {

    /** Steps the library and examples might call; a @NonCPS method must call none of them. */
    static final Set<String> STEPS = Set.of("stage", "parallel", "podvmBinaries", "podvmMkosi", "podvmUpload",
            "podvmBoot", "podvmMeasure", "archiveArtifacts", "fingerprint", "properties", "writeFile", "readFile", "error", "echo", "pwd",
            "dir", "node", "sh", "script", "steps", "pipeline", "withCredentials", "timeout", "retry", "sleep",
            "libraryResource", "fileExists");

    /** Groovy methods that call back a closure. */
    static final Set<String> CLOSURE_METHODS = Set.of("each", "eachWithIndex", "reverseEach", "collect",
            "collectEntries", "collectMany", "find", "findAll", "findResult", "findResults", "findIndexOf", "any",
            "every", "inject", "sort", "toSorted", "unique", "toUnique", "groupBy", "countBy", "sum", "max", "min",
            "count", "split", "takeWhile", "dropWhile", "withDefault", "times", "upto", "downto", "step");

    private CpsRules() {
    }

    /** The rules this source breaks, one sentence each with its line; empty if none. Throws if it does not parse. */
    static List<String> violations(String name, String source) {
        CompilationUnit unit = new CompilationUnit(Pipeline.compilerConfiguration());
        SourceUnit sourceUnit = unit.addSource(name, source);
        unit.compile(Phases.CONVERSION);
        Checker checker = new Checker(sourceUnit);
        ModuleNode module = sourceUnit.getAST();
        for (ClassNode type : module.getClasses()) {
            checker.visitClass(type);
        }
        return checker.violations;
    }

    private static final class Checker extends ClassCodeVisitorSupport {
        private final SourceUnit source;
        private final List<String> violations = new ArrayList<>();
        private MethodNode nonCpsMethod;

        Checker(SourceUnit source) {
            this.source = source;
        }

        @Override
        protected SourceUnit getSourceUnit() {
            return source;
        }

        @Override
        public void visitMethod(MethodNode method) {
            boolean nonCps = method.getAnnotations().stream()
                    .anyMatch(annotation -> annotation.getClassNode().getNameWithoutPackage().equals("NonCPS"));
            nonCpsMethod = nonCps ? method : null;
            super.visitMethod(method);
            nonCpsMethod = null;
        }

        @Override
        public void visitMethodCallExpression(MethodCallExpression call) {
            String name = call.getMethodAsString();
            if (nonCpsMethod != null && call.isImplicitThis() && STEPS.contains(name)) {
                add(call, "the @NonCPS method " + nonCpsMethod.getName() + " calls the step " + name
                        + "; return a value and let CPS code call the step");
            }
            if (nonCpsMethod == null && !call.isImplicitThis() && CLOSURE_METHODS.contains(name) && hasClosure(call)) {
                add(call, name + " { } in CPS code; move it into a @NonCPS helper");
            }
            super.visitMethodCallExpression(call);
        }

        @Override
        public void visitMethodPointerExpression(MethodPointerExpression pointer) {
            add(pointer, "method pointer .&" + pointer.getMethodName().getText() + ", which CPS does not support; use a closure");
            super.visitMethodPointerExpression(pointer);
        }

        @Override
        public void visitBinaryExpression(BinaryExpression expression) {
            if (nonCpsMethod == null && expression.getOperation().getType() == Types.FIND_REGEX) {
                add(expression, "=~ in CPS code makes a Matcher, which is not serializable; use ==~ or a @NonCPS helper");
            }
            super.visitBinaryExpression(expression);
        }

        private static boolean hasClosure(MethodCallExpression call) {
            Expression arguments = call.getArguments();
            return arguments instanceof TupleExpression tuple
                    && tuple.getExpressions().stream().anyMatch(argument -> argument instanceof ClosureExpression);
        }

        private void add(Expression where, String problem) {
            violations.add("line " + where.getLineNumber() + ": " + problem);
        }
    }
}
