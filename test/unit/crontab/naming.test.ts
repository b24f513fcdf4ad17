/** Pipeline names from crontab commands (src/crontab/naming.ts): the rule of docs/crontab.md, case by case. */
import { describe, expect, it } from 'vitest';
import { nameForCommand, uniqueNames } from '../../../src/crontab/naming.js';

describe('nameForCommand', () => {
  it.each([
    ['/usr/local/bin/backup.sh --full', 'backup'],
    ['/usr/local/bin/backup.sh --full >> /var/log/backup.log 2>&1', 'backup'],
    ['cd /srv/app && php artisan schedule:run >> /dev/null 2>&1', 'php-artisan-schedule-run'],
    ['flock -n /tmp/sync.lock /usr/local/bin/sync-data.sh', 'sync-data'],
    ['/usr/bin/flock -w 10 /var/lock/report.lock -c "/opt/report/run.py --daily"', 'run'],
    ['nice -n 19 ionice -c3 /usr/bin/rsync -a /srv/ /backup/', 'rsync'],
    ['timeout 5m /opt/jobs/cleanup', 'cleanup'],
    ['run-parts /etc/cron.hourly', 'run-parts-cron-hourly'],
    ['test -x /usr/sbin/anacron || ( cd / && run-parts --report /etc/cron.daily )', 'run-parts-cron-daily'],
    ["test -x /usr/bin/certbot -a \\! -d /run/systemd/system && perl -e 'sleep int(rand(43200))' && certbot -q renew", 'certbot'],
    ['[ -x /usr/lib/php/sessionclean ] && if [ ! -d /run/systemd/system ]; then /usr/lib/php/sessionclean; fi', 'sessionclean'],
    ['command -v debian-sa1 > /dev/null && debian-sa1 1 1', 'debian-sa1'],
    ['pg_dump mydb | gzip > /backups/mydb.sql.gz', 'pg_dump'],
    ['/usr/bin/php /var/www/html/cron.php > /dev/null 2>&1', 'php-cron'],
    ['python3 /opt/app/manage.py clearsessions', 'python3-manage-clearsessions'],
    ['curl -fsS -m 10 --retry 5 https://hc-ping.com/abc-123 > /dev/null', 'curl-hc-ping-com'],
    ["bash -lc 'source ~/.profile && ./bin/nightly.sh'", 'nightly'],
    ['sudo -u www-data php /var/www/occ background:cron', 'php-occ-background-cron'],
    ['SERVICE_MODE=1 /usr/lib/x86_64-linux-gnu/e2fsprogs/e2scrub_all_cron', 'e2scrub_all_cron'],
    ['env; cat', 'env'],
    ['echo "hello world" >> /tmp/hello.txt', 'echo'],
    ['sleep 30', 'job'],
    ['', 'job'],
    ['/opt/Very-Long.Program.Name.with-many-parts-and-more-words-than-fit.sh', 'very-long-program-name-with-many-parts'],
  ])('%s → %s', (command, name) => {
    expect(nameForCommand(command)).toBe(name);
  });
});

describe('uniqueNames', () => {
  it('adds -2, -3 in order, around names already taken', () => {
    expect(uniqueNames(['backup', 'backup', 'report', 'backup', 'backup-2'])).toEqual(['backup', 'backup-2', 'report', 'backup-3', 'backup-2-2']);
    expect(uniqueNames(['backup'], ['backup'])).toEqual(['backup-2']);
  });
});
