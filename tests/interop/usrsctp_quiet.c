/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Preloaded (LD_PRELOAD) into Debian's usrsctp example programs by test_usrsctp_netns.sh.
 * tsctp (and, in Debian's build, the servers) turn on usrsctp's debug flags at start-up, which
 * print several lines per packet: megabytes of log for a transfer, a slower peer, and debug text
 * in the middle of the lines the test counts. Answering the call here, before
 * libusrsctp sees it, leaves the flags off. Nothing else of usrsctp is touched, so this needs
 * neither usrsctp's headers nor its library.
 */
#include <stdint.h>

int usrsctp_sysctl_set_sctp_debug_on(uint32_t value);

/* Same signature as usrsctp.h's; 0 is its "set" answer. */
int
usrsctp_sysctl_set_sctp_debug_on(uint32_t value)
{
	(void)value;
	return 0;
}
