/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The layout of the SysV IPC objects and of the POSIX message queues,
 * shared by ipc/msg.c, ipc/sem.c, ipc/msgutil.c, ipc/mqueue.c and the
 * checkpoint/restart code in ipc/checkpoint*.c.
 */
#ifndef _IPC_OBJECTS_H
#define _IPC_OBJECTS_H

#include <linux/fs.h>
#include <linux/ipc.h>
#include <linux/list.h>
#include <linux/mqueue.h>
#include <linux/msg.h>
#include <linux/rbtree.h>
#include <linux/refcount.h>
#include <linux/signal.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>

struct file;
struct ipc_namespace;
struct pid;
struct sk_buff;
struct sock;
struct user_namespace;
struct task_struct;
struct msqid_ds;
struct shmid_ds;
struct ucounts;

/* one msq_queue structure for each present queue on the system */
struct msg_queue {
	struct kern_ipc_perm q_perm;
	time64_t q_stime;		/* last msgsnd time */
	time64_t q_rtime;		/* last msgrcv time */
	time64_t q_ctime;		/* last change time */
	unsigned long q_cbytes;		/* current number of bytes on queue */
	unsigned long q_qnum;		/* number of messages in queue */
	unsigned long q_qbytes;		/* max number of bytes on queue */
	struct pid *q_lspid;		/* pid of last msgsnd */
	struct pid *q_lrpid;		/* last receive pid */

	struct list_head q_messages;
	struct list_head q_receivers;
	struct list_head q_senders;
} __randomize_layout;

/* One semaphore structure for each semaphore in the system. */
struct sem {
	int	semval;		/* current value */
	/*
	 * PID of the process that last modified the semaphore. For
	 * Linux, specifically these are:
	 *  - semop
	 *  - semctl, via SETVAL and SETALL.
	 *  - at task exit when performing undo adjustments (see exit_sem).
	 */
	struct pid *sempid;
	spinlock_t	lock;	/* spinlock for fine-grained semtimedop */
	struct list_head pending_alter; /* pending single-sop operations */
					/* that alter the semaphore */
	struct list_head pending_const; /* pending single-sop operations */
					/* that do not alter the semaphore*/
	time64_t	 sem_otime;	/* candidate for sem_otime */
} ____cacheline_aligned_in_smp;

/* One sem_array data structure for each set of semaphores in the system. */
struct sem_array {
	struct kern_ipc_perm	sem_perm;	/* permissions .. see ipc.h */
	time64_t		sem_ctime;	/* create/last semctl() time */
	struct list_head	pending_alter;	/* pending operations */
						/* that alter the array */
	struct list_head	pending_const;	/* pending complex operations */
						/* that do not alter semvals */
	struct list_head	list_id;	/* undo requests on this array */
	int			sem_nsems;	/* no. of semaphores in array */
	int			complex_count;	/* pending complex operations */
	unsigned int		use_global_lock;/* >0: global lock required */

	struct sem		sems[];
} __randomize_layout;

/*
 * Each task has a list of undo requests.  They are executed automatically
 * when the process exits.
 */
struct sem_undo {
	/* per-process list: all undos from one process, rcu protected */
	struct list_head	list_proc;
	struct rcu_head		rcu;		/* rcu struct for sem_undo */
	struct sem_undo_list	*ulp;		/* back ptr to sem_undo_list */
	/* per semaphore array list: all undos for one array */
	struct list_head	list_id;
	int			semid;		/* semaphore set identifier */
	short			*semadj;	/* array of adjustments */
						/* one per semaphore */
};

/*
 * sem_undo_list controls shared access to the list of sem_undo structures
 * that may be shared among all a CLONE_SYSVSEM task group.
 */
struct sem_undo_list {
	refcount_t		refcnt;
	spinlock_t		lock;		/* protects list_proc */
	struct list_head	list_proc;
	struct rcu_head		rcu;		/* /proc/<pid>/semundo reads it */
};

struct msg_msgseg {
	struct msg_msgseg *next;
	/* the next part of the message follows immediately */
};

#define DATALEN_MSG	((size_t)PAGE_SIZE - sizeof(struct msg_msg))
#define DATALEN_SEG	((size_t)PAGE_SIZE - sizeof(struct msg_msgseg))

/* shm_mode upper byte flags */
#define SHM_DEST	01000	/* segment will be destroyed on last detach */
#define SHM_LOCKED	02000   /* segment will not be swapped */

/* private to the kernel */
struct shmid_kernel {
	struct kern_ipc_perm	shm_perm;
	struct file		*shm_file;
	unsigned long		shm_nattch;
	unsigned long		shm_segsz;
	time64_t		shm_atim;
	time64_t		shm_dtim;
	time64_t		shm_ctim;
	struct pid		*shm_cprid;
	struct pid		*shm_lprid;
	struct ucounts		*mlock_ucounts;

	/*
	 * The task created the shm object, for
	 * task_lock(shp->shm_creator)
	 */
	struct task_struct	*shm_creator;

	/*
	 * List by creator. task_lock(->shm_creator) required for read/write.
	 * If list_empty(), then the creator is dead already.
	 */
	struct list_head	shm_clist;
	struct ipc_namespace	*ns;
} __randomize_layout;

struct shm_file_data {
	int id;
	struct ipc_namespace *ns;
	struct file *file;
	const struct vm_operations_struct *vm_ops;
};

#define shm_file_data(file) (*((struct shm_file_data **)&(file)->private_data))

#define MQUEUE_MAGIC	0x19800202

/* The messages of one priority of a POSIX queue, oldest first */
struct posix_msg_tree_node {
	struct rb_node		rb_node;
	struct list_head	msg_list;
	int			priority;
};

struct ext_wait_queue {		/* queue of sleeping tasks */
	struct task_struct *task;
	struct list_head list;
	struct msg_msg *msg;	/* ptr of loaded message */
	int state;		/* one of STATE_* values */
};

struct mqueue_inode_info {
	spinlock_t lock;	/* its messages, attributes and waiters */
	struct inode vfs_inode;
	wait_queue_head_t wait_q;

	struct rb_root msg_tree;
	struct rb_node *msg_tree_rightmost;
	struct posix_msg_tree_node *node_cache;
	struct mq_attr attr;

	struct sigevent notify;
	struct pid *notify_owner;
	u32 notify_self_exec_id;
	struct user_namespace *notify_user_ns;
	struct ucounts *ucounts;	/* user who created, for accounting */
	struct sock *notify_sock;
	struct sk_buff *notify_cookie;

	/* for tasks waiting for free space and messages, respectively */
	struct ext_wait_queue e_wait_q[2];

	unsigned long qsize; /* size of queue in memory (sum of all msgs) */
};

static inline struct mqueue_inode_info *MQUEUE_I(struct inode *inode)
{
	return container_of(inode, struct mqueue_inode_info, vfs_inode);
}

struct file *mq_open_kern(struct ipc_namespace *ns, const char *name,
			  int oflag, umode_t mode, struct mq_attr *attr);
int mq_insert_kern(struct inode *inode, struct msg_msg *msg);

struct msg_msg *alloc_msg(size_t len);
bool is_file_shm(struct file *file);
long ksys_shmctl(int shmid, int cmd, struct shmid_ds __user *buf, int version);
long ksys_msgctl(int msqid, int cmd, struct msqid_ds __user *buf, int version);
long ksys_semctl(int semid, int semnum, int cmd, unsigned long arg,
		 int version);
int sem_undo_set(struct ipc_namespace *ns, int semid, const short *semadj,
		 int nsems);
int get_undo_list(struct sem_undo_list **undo_listp);

#endif /* _IPC_OBJECTS_H */
