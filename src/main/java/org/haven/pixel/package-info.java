/**
 * Burned-in pixel identifiers: device-signature rules, fail-closed risk screen, blanking, OCR check.
 *
 * <h2>Use from the pipeline</h2>
 * <pre>{@code
 * PixelRules rules = PixelRules.load(Path.of("config/pixels"));      // start-up; ConfigException(file, line)
 * PixelPolicy policy = new PixelPolicy(rules);
 * PixelRedactor redactor = new PixelRedactor();                       // stateless, thread-safe
 * OcrChecker ocr = new OcrChecker(rules.ocr());                       // start-up; OcrUnavailableException if no model
 *
 * // pixel stage: dataset read with setDecompressPixelData(false) (keeps JPEG baseline compressed)
 * PixelOutcome out = policy.apply(full, redactor);
 * if (out.quarantined()) quarantine(out.quarantineReason(), out.detail());  // pixels-unverified | pixels-unsupported
 * else write(full, out.redaction().map(RedactionResult::transferSyntaxOut).orElse(originalTs));
 * // then, if out.ocrRequired(): send to the OCR queue with out.ruleId()
 *
 * // OCR stage (own queue, scaled separately)
 * OcrVerdict v = policy.check(full, ruleId, ocr);
 * if (!v.pass()) quarantine("pixel-text", v.offending());   // text + box go in the record, never in logs
 * }</pre>
 * Overlay planes (60xx, {@code OverlayPlanes}) count as burned-in text: content makes an image at
 * risk when the profile keeps overlay data, OCR reads each plane, and blanking clears overlay bits under the boxes.
 * {@link org.haven.pixel.PixelPolicy#decide} needs only the header (read up to Pixel Data), so instances that PASS
 * can take the streaming path without loading pixels. Nothing in this package logs; exception messages and
 * {@code toString()}s carry technical facts only (OcrHit's text is left out of its toString).
 */
package org.haven.pixel;
