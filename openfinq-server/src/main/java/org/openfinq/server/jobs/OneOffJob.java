package org.openfinq.server.jobs;

/**
 * A kind of job that runs once per {@link Jobs#runOnce scheduled key}, at or after its time, on one node. Declare
 * one as a Spring bean. The key names what the job works on (an id); the job reads everything else from its
 * feature's tables, so nothing but the key is stored with the schedule. A run that throws is retried with backoff.
 */
public interface OneOffJob {

    /** A stable name (part of the key of the job's rows in {@code scheduled_tasks}). */
    String name();

    void run(String key);
}
