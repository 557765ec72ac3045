package io.greenlight.directory;

import io.greenlight.web.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/admin/directory/reload}: an admin applies an edited directory file without a restart. */
@RestController
class DirectoryController {

  private final DirectoryService directoryService;

  DirectoryController(DirectoryService directoryService) {
    this.directoryService = directoryService;
  }

  @PostMapping(path = "/api/admin/directory/reload", produces = "application/json")
  DirectoryService.Summary reload() {
    try {
      return directoryService.reload();
    } catch (DirectoryException e) {
      throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, "invalid_directory", null,
          e.getMessage() + " (the directory in use is unchanged)");
    }
  }
}
