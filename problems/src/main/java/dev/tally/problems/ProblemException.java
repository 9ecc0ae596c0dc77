package dev.tally.problems;

/** Thrown at a service's HTTP edge to answer with a problem; mapped in {@link ProblemExceptionMapper}. */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
