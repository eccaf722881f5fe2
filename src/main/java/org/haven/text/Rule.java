package org.haven.text;

/** A report rule: a detector (built-in or regex) applied within a scope; every finding names the rule's id. */
record Rule(String id, String classification, Detector detector, Scope scope, int minLength, String where) {}
