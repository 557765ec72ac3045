package io.greenlight.notify;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Every {@link Channel} there is, by name, in the order Spring orders them ({@code @Order}). */
@Component
public class Channels {

  private final Map<String, Channel> byName = new LinkedHashMap<>();

  public Channels(List<Channel> channels) {
    for (Channel channel : channels) {
      if (byName.putIfAbsent(channel.name(), channel) != null) {
        throw new IllegalStateException("Two channels are named " + channel.name());
      }
    }
  }

  public List<Channel> all() {
    return List.copyOf(byName.values());
  }

  /** The channel of this name; a name no channel has is a fault of the model (its task's {@code channel} input). */
  public Channel named(String name) {
    Channel channel = byName.get(name);
    if (channel == null) {
      throw new IllegalStateException("No channel is named '" + name + "' (the task's input 'channel'); there are "
          + byName.keySet());
    }
    return channel;
  }
}
