package io.greenlight.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.greenlight.approval.ActivityIds;
import java.io.File;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Set;
import java.util.stream.Collectors;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.FlowElement;
import org.junit.jupiter.api.Test;

/** Every element id the code names is on the diagram, and none the diagram dropped lingers in the code. */
class ActivityIdsTest {

  @Test
  void everyIdTheCodeNamesIsAnElementOfTheModel() {
    BpmnModelInstance model = Bpmn.readModelFromFile(new File("bpmn/deployment-approval.bpmn"));
    Set<String> elements = model.getModelElementsByType(FlowElement.class).stream().map(FlowElement::getId)
        .collect(Collectors.toSet());
    assertThat(elements).containsAll(ActivityIds.ALL);
    assertThat(elements).doesNotContainAnyElementsOf(ActivityIds.earlier());
    BpmnModelInstance review = Bpmn.readModelFromFile(new File("bpmn/emergency-deploy-review.bpmn"));
    assertThat(review.getModelElementsByType(FlowElement.class).stream().map(FlowElement::getId))
        .containsAll(ActivityIds.REVIEW_MODEL);
  }

  @Test
  void everyIdConstantIsChecked() throws IllegalAccessException {
    for (Field field : ActivityIds.class.getFields()) {
      if (field.getType() == String.class && Modifier.isStatic(field.getModifiers())) {
        assertThat(ActivityIds.REVIEW_MODEL.contains((String) field.get(null)) || ActivityIds.ALL.contains((String) field.get(null)))
            .as(field.getName()).isTrue();
      }
    }
  }
}
