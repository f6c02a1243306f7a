;;; eglot-check.el --- batch check of `podnet lsp' with Emacs 28 + eglot (see README.md)  -*- lexical-binding: t -*-
;; Run without -Q so that Debian's site-start activates the elpa-eglot package.
(require 'eglot)
(require 'seq)

(let* ((jar (or (getenv "PODNET_JAR") (error "PODNET_JAR not set")))
       (file (or (getenv "PODNET_FILE") (error "PODNET_FILE not set")))
       (out (or (getenv "PODNET_RESULT") (error "PODNET_RESULT not set")))
       (expect (or (getenv "PODNET_EXPECT") "SYN001"))
       (found nil)
       (diags nil))
  (find-file file)
  ;; the server recognises files by content, so whatever major mode Emacs picked (fundamental for .conflist) works
  (add-to-list 'eglot-server-programs `(,major-mode . ("java" "-jar" ,jar "lsp")))
  (apply #'eglot (eglot--guess-contact))
  (let ((deadline (+ (float-time) 30)))
    (while (and (not found) (< (float-time) deadline))
      (accept-process-output nil 0.1)
      (setq diags (flymake-diagnostics))
      (setq found (seq-find (lambda (d) (string-match-p (regexp-quote expect) (flymake-diagnostic-text d)))
                            diags))))
  (with-temp-file out
    (dolist (d diags)
      (insert (format "%s\t%d\t%d\t%s\n" (flymake-diagnostic-type d) (flymake-diagnostic-beg d)
                      (flymake-diagnostic-end d) (flymake-diagnostic-text d)))))
  (ignore-errors (eglot-shutdown (eglot-current-server)))
  (unless found
    (message "no %s diagnostic from podnet within 30 s" expect))
  (kill-emacs (if found 0 1)))
