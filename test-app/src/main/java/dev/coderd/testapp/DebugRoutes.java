package dev.coderd.testapp;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;

/** Routes that hand the request on: a redirect (302) and a server-side forward to another route. */
@Controller
@RequestMapping("/api/v2/debug")
public class DebugRoutes {
    @GetMapping("/redirect")
    public String redirect() {
        return "redirect:/api/v2/users/me";
    }

    @GetMapping("/forward")
    public String forward() {
        return "forward:/api/v2/users/me";
    }
}
