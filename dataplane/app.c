/* SPDX-License-Identifier: BSD-3-Clause */
/* placeholder: filled by the API work (issue 7) */
typedef int dpsctp_placeholder_app;
