/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The input format of the engine fuzz target (fuzz_engine.c), shared with its seed writer
 * (write_engine_seeds.c).
 *
 * Two endpoints live in one process: A (198.18.0.1 port 5000, connecting) and B (198.18.0.2
 * port 5001, listening). Every packet one of them outputs is queued on the one-way link towards
 * the other (A->B or B->A), where the input decides what happens to it.
 *
 * Multihoming (FE_OP_ADDRS): a node may have 2 or 3 addresses, address k of A being
 * 198.18.k.1 and of B 198.18.k.2 (the third one 2001:db8::1 / 2001:db8::2 when it is IPv6).
 * Each (A address, B address) pair and direction is a path of the network that FE_OP_PATH can
 * cut and restore; a packet output on a cut pair is lost. The harness is each endpoint's route
 * callback: peer address k goes out from local address k by default (the first local address
 * of the family when there is no k-th one of that family); FE_OP_PATH changes these routes
 * (with or without telling the engine, dpsctp_endpoint_routes_changed). Packets to an address
 * that is not one of the peer's (legacy variants, crafted INITs) still reach the other node.
 *
 * An input is:
 *   bytes 0-7   seed of the PRNG behind env->random (little endian)
 *   byte  8     configuration of A (FE_CFG_* bits)
 *   byte  9     configuration of B
 *   byte  10    data transfer configuration of A (FE_DCFG_* bits)
 *   byte  11    data transfer configuration of B
 *   then        operations, each an op byte and its arguments (big endian); missing bytes
 *               read as zero and the input ends with the first operation that runs past it.
 *
 * The op byte: bits 0-4 the operation (taken modulo FE_OP_COUNT), bits 5-6 a small argument
 * (FE_ARG), bit 7 the side (FE_B): for link operations the direction (0: A->B, FE_B: B->A), for
 * user primitives the endpoint that calls them, for injected packets their sender.
 */
#ifndef DPSCTP_TESTS_FUZZ_ENGINE_H
#define DPSCTP_TESTS_FUZZ_ENGINE_H

#include <stdint.h>

/** Bytes before the first operation. */
#define FE_HDR_LEN 12

/* Configuration bits (byte 8 for A, byte 9 for B). */
#define FE_CFG_FAST 0x01         /**< RTO 100 ms (50..800), HB 1 s, T5 guard 4 s */
#define FE_CFG_SHORT_COOKIE 0x02 /**< Valid.Cookie.Life 300 ms */
#define FE_CFG_NO_HB 0x04        /**< heartbeats off */
#define FE_CFG_FEW_RETRANS 0x08  /**< Max.Init.Retransmits and Association.Max.Retrans 1 */
#define FE_CFG_ADAPTATION 0x10   /**< send an Adaptation Layer Indication */
#define FE_CFG_FEW_STREAMS 0x20  /**< OS 2, MIS 1 */
#define FE_CFG_FLIP_LISTEN 0x40  /**< A listens from the start / B does not */
#define FE_CFG_TINY_TIMERS 0x80  /**< RTO 1 ms (max 3), HB 2 ms, T5 5 ms, cookie life 4 ms */

/* Data transfer configuration bits (byte 10 for A, byte 11 for B); 0: the engine defaults. */
#define FE_DCFG_APP_WINDOW 0x01   /**< rcv_app_window; the reader starts slow (FE_OP_READER) */
#define FE_DCFG_SMALL_RWND 0x02   /**< a_rwnd 4000 (so the partial delivery point is 2000) */
#define FE_DCFG_SMALL_SNDBUF 0x04 /**< sndbuf 6000 */
#define FE_DCFG_SACK_NOW 0x08     /**< sack_delay 0: a SACK for every packet with DATA */
#define FE_DCFG_PD 0x10           /**< pd_point 700 */
#define FE_DCFG_SMALL_MTU 0x20    /**< pmtu 576 */
#define FE_DCFG_NODELAY 0x40      /**< nodelay */
#define FE_DCFG_SLOW_SACK 0x80    /**< max_burst 1, sack_freq 4, sack_delay 500 ms */

/** Side bit of the op byte: B (or the link B->A). */
#define FE_B 0x80
/** Small argument of the op byte (0..3). */
#define FE_ARG(n) ((uint8_t)(((n)&3) << 5))
/** Operation of an op byte. */
#define FE_OP_MASK 0x1f

/** Operations. "idx" is the 2-bit argument; "the packet" is packet idx of the link's queue. */
enum fe_op {
	/**
	 * u16 ms: time passes; expire endpoints whose deadline came (idx & 1: call expire on both
	 * anyway)
	 */
	FE_OP_ADVANCE = 0,
	/** jump to the earliest endpoint deadline (at most 1 h on) */
	FE_OP_NEXT_DEADLINE,
	/** deliver the packet to the other endpoint */
	FE_OP_DELIVER,
	/**
	 * deliver both ways until the links are empty (64 steps at most); idx & 1: then keep
	 * jumping to deadlines while associations live
	 */
	FE_OP_RUN,
	/** lose the packet */
	FE_OP_DROP,
	/** duplicate the packet (the copy follows it) */
	FE_OP_DUP,
	/** swap the packet with the next one */
	FE_OP_SWAP,
	/** u16 offset, u8 mask: xor a byte of the packet (mask 0: 0xff) */
	FE_OP_FLIP,
	/** u16 offset, u16 value: overwrite 16 bits of the packet */
	FE_OP_SET16,
	/** u16 offset, u32 value: overwrite 32 bits of the packet */
	FE_OP_SET32,
	/** u16 length: cut the packet (modulo its length + 1) */
	FE_OP_TRUNCATE,
	/** u8 n, n bytes: append to the packet */
	FE_OP_APPEND,
	/**
	 * u8 chunk, u8 field, u16 value: set a chunk header field of the packet: field % 4 = 0
	 * type, 1 flags, 2 length, 3 length += (int8)
	 */
	FE_OP_CHUNK_FIELD,
	/** u8 mode (FE_VTAG_*): rewrite the packet's verification tag */
	FE_OP_SET_VTAG,
	/**
	 * u16 n, n bytes: a raw packet from the side to the other one, on path variant idx
	 * (FE_PATH_*)
	 */
	FE_OP_INJECT,
	/**
	 * u8 mode, u8 nchunks (1 + n % 4), then per chunk u8 type, u8 flags, u8 n (255: a u16 n
	 * follows) and n value bytes (zeros past the end of the input): a packet built from
	 * chunks, sent to the other side; mode bits 0-1 FE_VTAG_*, 2-3 FE_PORTS_*, 4-5 FE_PATH_*,
	 * 6-7 assoc
	 */
	FE_OP_CRAFT,
	/**
	 * u16 os: ASSOCIATE to the other endpoint; idx: 0 right, 1 wrong port, 2 another address
	 * (198.18.0.3), 3 an IPv6 address
	 */
	FE_OP_ASSOCIATE,
	/** SHUTDOWN association idx of the side */
	FE_OP_SHUTDOWN,
	/**
	 * u8 n, n bytes: ABORT association idx with that reason (n 255: a 1025-byte reason, which
	 * must be refused)
	 */
	FE_OP_ABORT,
	/** the side listens (idx & 1) or stops listening */
	FE_OP_LISTEN,
	/** destroy the side's endpoint and create it again (a restart) */
	FE_OP_RESTART,
	/** u16: output buffer size of both (0: 1500, else min(v, 9216)) */
	FE_OP_CAP,
	/**
	 * u8 n: idx 0 the next n allocations fail, 1 the (n+1)-th one from now fails, 2-3 failures
	 * off
	 */
	FE_OP_ALLOC_FAIL,
	/** deliver again the idx-th last packet that crossed the link */
	FE_OP_REPLAY,
	/**
	 * stop (idx & 1) or resume calling output on the side, as when the NIC is busy: replies
	 * and control chunks pile up in the engine
	 */
	FE_OP_HOLD,
	/**
	 * u8 sid, u8 flags (FE_SEND_*), u16 size (fe_send_len): the side sends messages on
	 * association idx; sid 255 is 65535. Every message is numbered in its direction; the
	 * number is its PPID and its bytes come from it (fuzz_engine.c, msg_word)
	 */
	FE_OP_SEND,
	/**
	 * u16 n: the side's application reads n bytes (0xffff: all it holds) of what association
	 * idx delivered (dpsctp_assoc_consume; only counts with FE_DCFG_APP_WINDOW)
	 */
	FE_OP_CONSUME,
	/**
	 * idx & 1: the side's application reads only when told (FE_OP_CONSUME); else it reads
	 * everything delivered after each operation
	 */
	FE_OP_READER,
	/**
	 * u8 mode: the side gets 1 + (mode & 3) % 3 addresses (bit 2: the third one is IPv6) and its
	 * endpoint is created again (a restart); its routes and the cuts of its pairs are reset
	 */
	FE_OP_ADDRS,
	/**
	 * u8 sub (FE_PATH_OP_*) and its arguments: cut and restore address pairs, change routes,
	 * and the path socket options on association idx of the side
	 */
	FE_OP_PATH,
	/**
	 * u8 mode (FE_PTB_*), u8 addr (FE_ADDR_SEL), u16 mtu, u32 tag when the mode forges one: an
	 * ICMP packet-too-big for association idx of the side (dpsctp_endpoint_icmp_ptb)
	 */
	FE_OP_PTB,
	/**
	 * u8 n, then 1 + n % 4 u8 address selectors (FE_CX_*), u16 os: ASSOCIATE to those
	 * addresses (sctp_connectx); idx & 1: to a wrong port
	 */
	FE_OP_CONNECTX,
	FE_OP_COUNT
};

/* FE_OP_PATH sub-operations (sub % 8). */
/**
 * u8 arg: cut (or with bit 6 restore) the pairs of local address arg & 3 (3: all) of the side
 * and peer address (arg >> 2) & 3 (3: all), direction bits 4-5 (1: side to peer, 2: peer to
 * side, 0 or 3: both)
 */
#define FE_PATH_OP_CUT 0
/**
 * u8 arg: the side's route to peer address arg & 3 (3: addresses that are not the peer's)
 * goes out from local address (arg >> 2) & 3 (3: none); bit 4: an address the endpoint does
 * not have; bit 5: then dpsctp_endpoint_routes_changed
 */
#define FE_PATH_OP_ROUTE 1
/** dpsctp_endpoint_routes_changed on the side */
#define FE_PATH_OP_ROUTES_CHANGED 2
/** u8 addr (FE_ADDR_SEL): dpsctp_assoc_set_primary */
#define FE_PATH_OP_PRIMARY 3
/**
 * u8 addr (FE_ADDR_SEL, bit 7: NULL, every path), u8 flags (DPSCTP_SPP_*, any), u8 mtu choice,
 * u8 hb_interval choice, u8 path_max_retrans: dpsctp_assoc_set_paddr_params
 */
#define FE_PATH_OP_PARAMS 4
/**
 * u8 addr (FE_ADDR_SEL, bit 7: NULL), u8 path_max_retrans, u8 pf_threshold (255: disabled):
 * dpsctp_assoc_set_thresholds
 */
#define FE_PATH_OP_THRESHOLDS 5
/** u8 addr (FE_ADDR_SEL, bit 7: NULL): HB_DEMAND */
#define FE_PATH_OP_HB_DEMAND 6
/** every pair restored, every route back to its default, routes_changed on both sides */
#define FE_PATH_OP_HEAL 7

/** FE_ADDR_SEL: bits 0-1 the peer address of the association by index (its primary first),
 * 3 with bit 2: an address it does not have */
#define FE_ADDR_UNKNOWN 0x07

/* FE_OP_PTB modes: bits 0-1 the quoted tag */
#define FE_PTB_TAG_PEER 0   /**< the peer's tag (a real report) */
#define FE_PTB_TAG_RANDOM 1 /**< u32 from the input (a forgery unless it hits the tag) */
#define FE_PTB_INIT_OURS 2  /**< tag 0 and an INIT chunk with our Initiate Tag (a real one) */
#define FE_PTB_INIT_RANDOM 3 /**< tag 0 and an INIT chunk with a u32 tag from the input */
#define FE_PTB_SHORT 0x04    /**< quote fewer than 8 bytes (bits 5-7: how many) */
#define FE_PTB_BAD_SPORT 0x08 /**< the quoted source port is not ours */
#define FE_PTB_BAD_DPORT 0x10 /**< the quoted destination port is not the peer's */

/* FE_OP_CONNECTX address selectors (sel % 8). */
#define FE_CX_PEER0 0   /**< the peer's address 0 (1, 2: its address 1, 2, modulo how many) */
#define FE_CX_OTHER4 3  /**< 198.18.0.3, no address of the peer (still reaches it) */
#define FE_CX_OTHER6 4  /**< 2001:db8::3 */
#define FE_CX_BAD 5     /**< family 0: the call must be refused with -EINVAL */


/* FE_OP_SEND flags. */
#define FE_SEND_UNORDERED 0x01 /**< DPSCTP_SND_UNORDERED */
#define FE_SEND_SACK_NOW 0x02  /**< DPSCTP_SND_SACK_IMMEDIATELY */
/** lifetime (bits 2-3): 0 none, 1 1 ms, 2 100 ms, 3 2 s */
#define FE_SEND_LIFE(n) ((uint8_t)(((n)&3) << 2))
#define FE_SEND_BAD 0x10 /**< a call refused with -EINVAL: no data, no length or no sndinfo */
/** count (bits 5-7): 1 << n messages, numbered consecutively; stops at the first refusal */
#define FE_SEND_COUNT(n) ((uint8_t)(((n)&7) << 5))

/** FE_OP_SEND size: bits 14-15 pick a scale (1-256, 1-4096, 1-16384, 1-65533 bytes). */
static inline uint32_t
fe_send_len(uint16_t v)
{
	switch (v >> 14) {
	case 0:
		return 1u + (v & 0xffu);
	case 1:
		return 1u + (v & 0xfffu);
	case 2:
		return 1u + (v & 0x3fffu);
	default:
		return 1u + 4u * (v & 0x3fffu);
	}
}

/* FE_OP_SET_VTAG / FE_OP_CRAFT verification tag modes (bits 0-1) and assoc (bits 6-7). */
#define FE_VTAG_ZERO 0  /**< 0 */
#define FE_VTAG_LOCAL 1 /**< the receiver's own tag of its association (what a peer sends) */
#define FE_VTAG_PEER 2  /**< the receiver's peer tag (a reflected tag, with the T bit) */
#define FE_VTAG_INPUT 3 /**< u32 from the input */

/* FE_OP_CRAFT port modes (bits 2-3). */
#define FE_PORTS_RIGHT 0 /**< the sender's port to the receiver's */
#define FE_PORTS_SRC 1   /**< u16 source port from the input */
#define FE_PORTS_DST 2   /**< a destination port the receiver does not have */
#define FE_PORTS_ZERO 3  /**< source port 0 */

/* Path variants of injected packets. */
#define FE_PATH_RIGHT 0 /**< between the two endpoints' addresses */
#define FE_PATH_OTHER 1 /**< from an address the receiver does not know (198.18.0.9) */
#define FE_PATH_V6 2    /**< between two IPv6 addresses */
#define FE_PATH_SPOOF 3 /**< from the receiver's own address */

#endif /* DPSCTP_TESTS_FUZZ_ENGINE_H */
