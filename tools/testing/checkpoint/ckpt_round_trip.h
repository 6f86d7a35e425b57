/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The round trip of a helper that describes its own state: included
 * after kselftest_harness.h.
 */
#ifndef CKPT_ROUND_TRIP_H
#define CKPT_ROUND_TRIP_H

/*
 * @helper @report @scenario, with stdout @out: checkpointed to
 * /tmp/@tag.img, killed, restarted, told to check itself.  Fails unless
 * the lines it wrote after restart are those before, line for line,
 * and its checks pass.
 */
static inline void helper_round_trip(struct __test_metadata *_metadata,
				     const char *helper, const char *report,
				     const char *scenario, const char *out,
				     const char *tag)
{
	char *const prog[] = { (char *)helper, (char *)report,
			       (char *)scenario, NULL };
	char img[64], pidfile[64], detach[64];
	char *text, *before, *after;
	pid_t pid;

	snprintf(img, sizeof(img), "/tmp/%s.img", tag);
	snprintf(pidfile, sizeof(pidfile), "/tmp/%s.pid", tag);
	snprintf(detach, sizeof(detach), "/tmp/%s.detach", tag);
	unlink(report);
	pid = start_logged(prog, out, NULL);
	ASSERT_GT(pid, 0);
	text = wait_text(report, "ready", 10000);
	ASSERT_NE(NULL, strstr(text, "ready")) TH_LOG("%s", text);
	free(text);
	ASSERT_EQ(0, checkpoint_kill(pid, img));

	pid = restart_detached(img, pidfile, detach);
	ASSERT_GT(pid, 0) {
		text = file_text(detach);
		TH_LOG("%s", text);
	}
	ASSERT_EQ(0, kill(pid, SIGUSR1));
	text = wait_text(report, "checks ok", 10000);
	ASSERT_NE(NULL, text);
	before = lines_of(text, "before ");
	after = lines_of(text, "after ");
	EXPECT_NE(0, strlen(before));
	EXPECT_STREQ(before, after);
	EXPECT_NE(NULL, strstr(text, "checks ok")) TH_LOG("%s", text);
	free(before);
	free(after);
	free(text);
	kill(pid, SIGKILL);
}

#endif /* CKPT_ROUND_TRIP_H */
