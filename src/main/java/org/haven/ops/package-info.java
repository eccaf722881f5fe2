/**
 * Operations: one source ({@link org.haven.ops.Operations}) for what the node has done and what is stuck — counts by
 * fate and reason, files in flight with their last stage, queue depths and consumers, warnings — used by
 * {@code ./run.sh status} (org.haven.cli.StatusCommand), the review app's Operations page and the Prometheus
 * endpoint ({@link org.haven.ops.MetricsServer}).
 */
package org.haven.ops;
