/**
 * Programs a Sigma `logsource.service` stands for, lower-cased as the matcher compares them, for
 * the loader (which scopes a rule to them) and the exporter (which names a service only when it
 * covers every program of the rule). `null`: the service is a whole log (auth, syslog), so the
 * rule runs on every line. OpenSSH 9.8 and later log from `sshd-session` and `sshd-auth` too.
 */
export const SERVICE_PROGRAMS: Readonly<Record<string, readonly string[] | null>> = {
  syslog: null,
  auth: null,
  auditd: null,
  sshd: ['sshd', 'sshd-session', 'sshd-auth'],
  sudo: ['sudo'],
  cron: ['cron', 'crond'],
  su: ['su'],
  vsftpd: ['vsftpd'],
  clamav: ['clamd', 'freshclam', 'clamav-milter'],
};
