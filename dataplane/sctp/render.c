/* placeholder: being written */
typedef int dpsctp_placeholder_t;
