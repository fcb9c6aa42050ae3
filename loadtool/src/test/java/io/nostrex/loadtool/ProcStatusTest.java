package io.nostrex.loadtool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ProcStatusTest {

    @Test
    void vmRssInKib() {
        assertThat(ProcStatus.vmRss("Name:\tjava\nVmPeak:\t  999 kB\nVmRSS:\t  714932 kB\nRssAnon: 1 kB\n"))
                .isEqualTo(OptionalLong.of(714_932));
        assertThat(ProcStatus.vmRss("Name:\tkthreadd\n")).isEmpty();
    }

    @Test
    void openFilesLimitSoftAndHard() {
        String limits = "Limit                     Soft Limit           Hard Limit           Units     \n"
                + "Max processes             95424                95424                processes \n"
                + "Max open files            20000                1048576              files     \n";
        assertThat(ProcStatus.maxOpenFiles(limits)).isEqualTo(new ProcStatus.FileLimit(20_000, 1_048_576));
        assertThat(ProcStatus.maxOpenFiles("Max open files  unlimited  unlimited  files\n"))
                .isEqualTo(new ProcStatus.FileLimit(-1, -1));
    }

    @Test
    void cpuTicksAreUserPlusSystemEvenWithSpacesInTheName() {
        String stat = "4242 (java (main) x) S 1 2 3 0 -1 4194304 100 0 0 0 1234 567 0 0 20 0 1 0 420827 3133440";
        assertThat(ProcStatus.statTicks(stat)).isEqualTo(1_801);
    }

    @Test
    void machineBusyTicksLeaveOutIdleAndIowait() {
        // user nice system idle iowait irq softirq steal guest guest_nice
        assertThat(ProcStatus.busyTicks("cpu  504820 0 100846 369604 2477 0 9318 7 0 0")).isEqualTo(614_991);
    }

    @Test
    void thisProcessIsReadable() {
        assertThat(ProcStatus.rssKib("self")).isPresent();
        assertThat(ProcStatus.cpuTicks("self")).isPresent();
        assertThat(ProcStatus.rssKib("no-such-process")).isEmpty();
        assertThat(ProcStatus.machineBusyTicks()).isPresent();
    }
}
