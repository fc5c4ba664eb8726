/* fs_remove.h: removing leftovers inside a folder without following links or leaving it.
 *
 * Output folders may be shared with other users and programs, so a name in
 * them proves nothing: a "leftover" may be a link to someone's home folder.
 * These helpers work relative to an open folder descriptor, never resolve a
 * symlink (they remove the link itself), never cross into a folder that is
 * not a real folder owned by the current user, and stop at a fixed depth.
 */
#ifndef MM_IO_FS_REMOVE_H
#define MM_IO_FS_REMOVE_H

/* Removes name (a file, a link, or a folder and what it holds) inside the
 * open folder parent.  A folder that is not owned by the current user, or a
 * tree deeper than depth, is left in place.  Returns 0 when name is gone. */
int io_remove_tree_at(int parent, const char *name, int depth);

/* io_remove_tree_at (which uses IO_POOL_WORKERS threads) with a large
 * folder's files unlinked from up to threads threads
 * (io_pool.h). */
int io_remove_tree_at_threads(int parent, const char *name, int depth, int threads);

/* Like io_remove_tree_at for a leftover the tool expects to be its own
 * folder: anything else under that name (a link, a file, a folder of
 * another user) is left alone and a warning naming shown is printed. */
void io_remove_leftover_at(int parent, const char *name, const char *shown);

#endif
