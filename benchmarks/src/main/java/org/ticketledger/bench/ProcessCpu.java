package org.ticketledger.bench;

/** CPU time of this JVM, for the benchmarks' CPU-per-operation fields. */
final class ProcessCpu {

    private ProcessCpu() {
    }

    /** Nanoseconds of CPU this process has used so far; 0 on a JVM that does not say. */
    static long nanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0L;
    }
}
