package io.greenlight.directory;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.greenlight.web.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/admin/directory/reload}: an admin applies an edited directory file without a restart. */
@RestController
@Tag(name = "Admin")
class DirectoryController {

  private final DirectoryService directoryService;

  DirectoryController(DirectoryService directoryService) {
    this.directoryService = directoryService;
  }

  @Operation(operationId = "reloadDirectory", summary = "Read the directory file again (admins)",
      description = "422 with the problems when the file is wrong; the directory in use is then unchanged.",
      security = @SecurityRequirement(name = "directoryUser"))
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
