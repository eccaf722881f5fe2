# Sourced by bench/thread-cpu.sh and bench/service-threads.sh: a JVM's CPU by thread, read from /proc.
# thread_snapshot PID   fills cpu[tid] (user + sys clock ticks) and name[tid] (the thread's name) for every thread now
# thread_report         reads "name|ticks" lines and prints CPU s in all and per thread group (trailing numbers dropped)
declare -A cpu name
thread_snapshot() {
  local t stat f
  for t in /proc/"$1"/task/*; do
    stat=$(cat "$t/stat" 2>/dev/null) || continue
    read -r -a f <<< "${stat##*) }"          # fields after the command name: utime, stime are the 12th and 13th
    cpu[${t##*/}]=$(( f[11] + f[12] ))
    name[${t##*/}]=$(cat "$t/comm" 2>/dev/null || echo '?')
  done
}
thread_report() {
  awk -F'|' -v hz="$(getconf CLK_TCK)" -v min="${1:-0.5}" '{ g = $1; sub(/[-#]?[0-9]+$/, "", g); c[g] += $2; t += $2 }
      END { printf "%7.1f  CPU s in all\n", t / hz; for (g in c) if (c[g] / hz >= min) printf "%7.1f  %4.1f %%  %s\n", c[g] / hz, 100 * c[g] / t, g }' \
    | sort -rn
}
