/**
 * Rule proposals from held files: the OCR word boxes of a device's files held as {@code pixel-text}, per image size,
 * clustered into the text bands the device burns in ({@link TextBands}), give a proposed pixel rule
 * ({@link Proposal}) that a reviewer accepts in the review app. Pure computation: no I/O, no logging.
 */
package org.haven.pixel.proposal;
