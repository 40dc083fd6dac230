package org.openfinq.server.jobs;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.serializer.Serializer;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import org.openfinq.server.config.OpenfinqProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The cluster's job scheduler (db-scheduler on the {@code scheduled_tasks} table): runs every {@link RecurringJob}
 * bean and the {@link OneOffJob}s scheduled with {@link #runOnce}. An execution is picked by one node (row lock,
 * skip locked) and, should that node die, taken over by another once its heartbeats stop. The executor has a thread
 * for every recurring job kind plus {@code openfinq.jobs.threads} for one-off jobs, so no kind waits for another.
 */
@Component
public class Jobs implements SmartLifecycle {

    /** Task data is the job's key as UTF-8 (no Java serialization of database content). */
    private static final Serializer KEY = new Serializer() {
        @Override
        public byte[] serialize(Object data) {
            return data == null ? null : data.toString().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public <T> T deserialize(Class<T> type, byte[] bytes) {
            return bytes == null ? null : type.cast(new String(bytes, StandardCharsets.UTF_8));
        }
    };

    private final Scheduler scheduler;
    private final boolean enabled;
    private final Map<String, OneTimeTask<String>> oneOff = new HashMap<>();
    private volatile boolean running;

    public Jobs(DataSource dataSource, List<RecurringJob> recurring, List<OneOffJob> oneOffJobs, OpenfinqProperties props) {
        OpenfinqProperties.Jobs cfg = props.jobs();
        this.enabled = cfg.enabled();
        Set<String> names = new HashSet<>();
        List<RecurringTask<Void>> recurringTasks = recurring.stream().map(job -> {
            if (!names.add(job.name())) {
                throw new IllegalStateException("Two jobs are named " + job.name());
            }
            return Tasks.recurring(job.name(), Schedules.fixedDelay(job.interval()))
                    .execute((instance, ctx) -> job.run());
        }).toList();
        for (OneOffJob job : oneOffJobs) {
            if (!names.add(job.name())) {
                throw new IllegalStateException("Two jobs are named " + job.name());
            }
            oneOff.put(job.name(), Tasks.oneTime(job.name(), String.class)
                    .onFailure(new FailureHandler.ExponentialBackoffFailureHandler<>(Duration.ofSeconds(10), 2.0))
                    .execute((instance, ctx) -> job.run(instance.getData())));
        }
        this.scheduler = Scheduler.create(dataSource, List.copyOf(oneOff.values()))
                .startTasks(recurringTasks)
                .threads(recurringTasks.size() + cfg.threads())
                .pollingInterval(cfg.pollInterval())
                .heartbeatInterval(cfg.heartbeatInterval())
                .serializer(KEY)
                .schedulerName(new SchedulerName.Fixed(nodeName()))
                .pollUsingLockAndFetch(0.5, 1.0)
                .shutdownMaxWait(Duration.ofSeconds(20))
                .build();
    }

    private static String nodeName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "node";
        }
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * Schedules a run of the one-off job {@code job} for {@code key} at {@code at} (now or past: as soon as a
     * thread is free), unless one is already scheduled for that key.
     *
     * @return whether it was scheduled (false: already pending)
     */
    public boolean runOnce(String job, String key, Instant at) {
        OneTimeTask<String> task = oneOff.get(job);
        if (task == null) {
            throw new IllegalArgumentException("No one-off job named " + job);
        }
        return scheduler.scheduleIfNotExists(new TaskInstance<>(job, key, key), at);
    }

    /** The underlying scheduler, for inspection (pending executions, currently executing). */
    public Scheduler scheduler() {
        return scheduler;
    }

    @Override
    public void start() {
        if (enabled) {
            scheduler.start();
        }
        running = true;
    }

    @Override
    public void stop() {
        if (enabled) {
            scheduler.stop();
        }
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
