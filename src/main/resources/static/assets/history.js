// Paints the path a request took onto its BPMN diagram. The server gives the diagram's URL and the path
// (element ids) as data attributes of #canvas; bpmn-js (bundled, see pom.xml) draws the diagram.
(function () {
  'use strict';

  var canvasElement = document.getElementById('canvas');
  if (!canvasElement) {
    return;
  }

  function read(name) {
    try {
      return JSON.parse(canvasElement.getAttribute('data-' + name) || 'null');
    } catch (e) {
      return null;
    }
  }

  function badge(count) {
    var span = document.createElement('span');
    span.className = 'gl-count';
    span.textContent = '×' + count;
    span.title = 'passed ' + count + ' times';
    return span;
  }

  function fail(message) {
    canvasElement.setAttribute('data-rendered', 'failed');
    var p = document.createElement('p');
    p.className = 'error';
    p.textContent = 'The diagram could not be shown (' + message + '); the path is listed below.';
    canvasElement.appendChild(p);
  }

  var passed = read('passed') || {};
  var marks = { 'gl-current': read('current') || [], 'gl-ended': read('ended') || [], 'gl-incident': read('incidents') || [] };
  var viewer = new window.BpmnJS({ container: canvasElement });

  fetch(canvasElement.getAttribute('data-diagram'), { credentials: 'same-origin' })
    .then(function (response) {
      if (!response.ok) {
        throw new Error('HTTP ' + response.status);
      }
      return response.text();
    })
    .then(function (xml) {
      return viewer.importXML(xml);
    })
    .then(function () {
      var canvas = viewer.get('canvas');
      var registry = viewer.get('elementRegistry');
      var overlays = viewer.get('overlays');
      // As tall as the diagram needs at this width (within bounds), then fit it in.
      var inner = canvas.viewbox().inner;
      if (inner.width > 0) {
        var wanted = canvasElement.clientWidth * inner.height / inner.width + 40;
        canvasElement.style.height = Math.round(Math.min(Math.max(wanted, 320), 720)) + 'px';
        canvas.resized();
      }
      canvas.zoom('fit-viewport', 'auto');

      Object.keys(passed).forEach(function (id) {
        if (!registry.get(id)) {
          return;
        }
        var element = registry.get(id);
        // An expanded sub-process is a frame around other elements: outline it, do not fill it.
        var frame = element.type === 'bpmn:SubProcess' && !element.collapsed;
        canvas.addMarker(id, frame ? 'gl-passed-frame' : 'gl-passed');
        if (passed[id] > 1) {
          overlays.add(id, { position: { top: -10, right: 10 }, html: badge(passed[id]) });
        }
      });
      // A sequence flow was taken when the request passed both its ends (the engine's history keeps elements, not flows).
      registry.filter(function (element) {
        return element.type === 'bpmn:SequenceFlow';
      }).forEach(function (flow) {
        var source = flow.businessObject.sourceRef && flow.businessObject.sourceRef.id;
        var target = flow.businessObject.targetRef && flow.businessObject.targetRef.id;
        if (source in passed && target in passed) {
          canvas.addMarker(flow.id, 'gl-passed');
        }
      });
      Object.keys(marks).forEach(function (marker) {
        marks[marker].forEach(function (id) {
          if (registry.get(id)) {
            canvas.addMarker(id, marker);
          }
        });
      });
      canvasElement.setAttribute('data-rendered', 'true');
    })
    .catch(function (error) {
      fail(error && error.message ? error.message : String(error));
    });
}());
