package org.haven.web;

import org.haven.classify.DeviceRegistries;
import org.haven.config.LiveConfig;
import org.haven.pixel.PixelRules;
import org.haven.verify.Verifier;

/**
 * The rules in force on this node, as the pipeline sees them: the review UI writes a rule file and reloads it here, so
 * the change takes effect at once (and the periodic check in routes/config-watch.yaml finds nothing left to do).
 */
public record LiveRules(LiveConfig<Verifier> verifier, LiveConfig<PixelRules> pixels, DeviceRegistries devices) {}
