package io.nostrex.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the contract's topics that are missing; existing topics are left as they are. */
public final class TopicSetup {

    private TopicSetup() {}

    /**
     * Creates every topic of {@code topics} that the cluster does not have yet. Safe to call again
     * and to race with another caller (a topic created meanwhile counts as present).
     *
     * @return the names of the topics this call created
     */
    public static List<String> ensure(Admin admin, List<Topic> topics, short replication)
            throws InterruptedException {
        Set<String> existing = get(admin.listTopics().names());
        List<NewTopic> missing = topics.stream()
                .filter(t -> !existing.contains(t.name()))
                .map(t -> t.newTopic(replication))
                .toList();
        List<String> created = new ArrayList<>();
        if (missing.isEmpty()) {
            return created;
        }
        for (Map.Entry<String, KafkaFuture<Void>> e : admin.createTopics(missing).values().entrySet()) {
            try {
                e.getValue().get();
                created.add(e.getKey());
            } catch (ExecutionException ex) {
                if (!(ex.getCause() instanceof TopicExistsException)) {
                    throw new KafkaException("cannot create topic " + e.getKey(), ex.getCause());
                }
            }
        }
        return created;
    }

    private static <T> T get(KafkaFuture<T> future) throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw new KafkaException("cannot list topics", e.getCause());
        }
    }
}
