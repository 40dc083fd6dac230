package org.openfinq.server.jobs;

import java.time.Duration;

/**
 * A job that runs again and again, {@link #interval()} after its last run ended, on one node of the cluster at a
 * time (whichever node's scheduler picks it up). Declare one as a Spring bean and {@link Jobs} runs it. Jobs of
 * different kinds run on threads of their own, so a slow one never holds up another. The job body reads the
 * application {@code Clock} for its rules; the scheduler's timing is wall-clock time.
 */
public interface RecurringJob {

    /** A stable name (it is the key of the job's row in {@code scheduled_tasks}). */
    String name();

    Duration interval();

    void run();

    /** A recurring job that calls {@code body}; the usual way for a feature to declare one as a {@code @Bean}. */
    static RecurringJob of(String name, Duration interval, Runnable body) {
        return new RecurringJob() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Duration interval() {
                return interval;
            }

            @Override
            public void run() {
                body.run();
            }
        };
    }
}
