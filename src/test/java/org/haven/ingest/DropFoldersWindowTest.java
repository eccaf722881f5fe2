package org.haven.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The window a drop folder watches holds a poll's worth being taken plus those becoming stable behind it. */
class DropFoldersWindowTest {
    @Test
    void everyPollCanTakeAFullPollsWorthOnceTheStabilityWaitIsOver() {
        // defaults: 500 a poll, stable after 1 s, a poll every 500 ms: two polls' worth become stable behind the one taken
        assertThat(DropFolders.window(500, 1000, 500)).isEqualTo(1500);
        assertThat(DropFolders.window(500, 1000, 200)).isEqualTo(3000);
        assertThat(DropFolders.window(500, 1100, 500)).as("a part of a poll counts as a poll").isEqualTo(2000);
        // no stability wait: a file is ready when a second poll sees it unchanged
        assertThat(DropFolders.window(4, 0, 500)).isEqualTo(8);
        assertThat(DropFolders.window(4, 1000, 0)).as("a poll interval of 0 does not divide by zero").isPositive();
    }
}
