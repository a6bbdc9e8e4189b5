/* union sigval and struct sigevent (64 bytes), glibc's layout; shared by
   signal.h and time.h. */
#ifndef _BITS_SIGEVENT_H
#define _BITS_SIGEVENT_H

union sigval {
	int sival_int;
	void *sival_ptr;
};
typedef union sigval sigval_t;

#define SIGEV_SIGNAL 0
#define SIGEV_NONE 1
#define SIGEV_THREAD 2
#define SIGEV_THREAD_ID 4

typedef struct sigevent {
	union sigval sigev_value;
	int sigev_signo;
	int sigev_notify;
	union {
		int _pad[(64 - 2 * sizeof(int) - sizeof(void *)) / sizeof(int)];
		int _tid;
		struct {
			void (*_function)(union sigval);
			void *_attribute;
		} _sigev_thread;
	} _sigev_un;
} sigevent_t;
#define sigev_notify_function _sigev_un._sigev_thread._function
#define sigev_notify_attributes _sigev_un._sigev_thread._attribute
#define sigev_notify_thread_id _sigev_un._tid

#endif
