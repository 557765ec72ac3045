package io.greenlight.oncall;

import io.greenlight.directory.Directory;
import io.greenlight.directory.DirectoryFile;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** Who of a group is on call: the rotation's member of the moment, or every member of a group without rotation. */
@Component
public class OnCallSchedule {

  private final Directory directory;

  public OnCallSchedule(Directory directory) {
    this.directory = directory;
  }

  public List<String> onCall(String groupId, Instant at) {
    return shift(groupId, at).map(shift -> List.of(shift.member()))
        .orElseGet(() -> directory.members(groupId).stream().map(DirectoryFile.User::id).toList());
  }

  /** The current shift of the group's rotation; empty for a group without one. */
  public Optional<Rotation.Shift> shift(String groupId, Instant at) {
    return rotation(groupId).map(rotation -> rotation.at(at));
  }

  public Optional<Rotation.Shift> nextShift(String groupId, Instant at) {
    return rotation(groupId).map(rotation -> rotation.after(at));
  }

  private Optional<Rotation> rotation(String groupId) {
    return directory.group(groupId).map(DirectoryFile.Group::onCall).map(Rotation::new);
  }
}
